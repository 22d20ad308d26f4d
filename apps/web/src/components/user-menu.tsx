'use client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { isLocalAdmin, signOut, type Session } from '@/lib/auth-client';
import { errorMessage } from '@/lib/format';

const item = 'block w-full rounded px-3 py-2 text-left text-sm text-slate-900 hover:bg-slate-100 focus-visible:bg-slate-100';

/**
 * Who is signed in (email, role, team) and what only they can reach: their API tokens, the team's
 * users and audit log (admins), Sign out. The local admin of `sluice up` has no session to end.
 */
export function UserMenu({ session }: { session: Session }) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const menuId = useId();
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const admin = session.role === 'admin';
  // The local admin has no cookie session: there is nothing to sign out of.
  const canSignOut = !isLocalAdmin(session);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  async function leave() {
    setLeaving(true);
    setFailure(null);
    try {
      await signOut(session.csrfToken);
      // A full navigation: nothing the signed-out user saw stays in memory.
      window.location.assign('/sign-in');
    } catch (error) {
      setFailure(errorMessage(error));
      setLeaving(false);
    }
  }

  return (
    <div ref={box} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        data-user-menu={session.user.email}
        className="flex items-center gap-2 rounded px-2 py-1 text-left text-sm hover:bg-slate-800"
      >
        <span className="flex flex-col leading-tight">
          <span className="font-medium text-white" data-nav="email">
            {session.user.email}
          </span>
          <span className="text-xs text-slate-300">
            <span data-nav="role">{session.role}</span> in <span data-nav="team">{session.team}</span>
          </span>
        </span>
        <span aria-hidden="true" className="text-slate-300">
          ▾
        </span>
      </button>
      <div id={menuId} hidden={!open} className="absolute right-0 z-40 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-1 text-slate-900 shadow-lg">
        <div className="border-b border-slate-100 px-3 py-2 text-sm">
          <p className="truncate font-medium" title={session.user.email}>
            {session.user.name || session.user.email}
          </p>
          <p className="text-xs text-slate-700">
            {session.role} in team {session.team}
            {session.mode === 'local' && !canSignOut ? ' (local mode)' : ''}
          </p>
        </div>
        <nav aria-label="Account" className="py-1">
          <Link href="/settings/tokens" onClick={() => setOpen(false)} className={item}>
            API tokens and keys
          </Link>
          {admin && (
            <Link href="/settings/users" onClick={() => setOpen(false)} className={item}>
              Users of {session.team}
            </Link>
          )}
          {admin && (
            <Link href="/settings/audit" onClick={() => setOpen(false)} className={item}>
              Audit log
            </Link>
          )}
        </nav>
        {canSignOut && (
          <div className="border-t border-slate-100 pt-1">
            <button type="button" onClick={() => void leave()} disabled={leaving} className={`${item} font-medium disabled:opacity-60`}>
              {leaving ? 'Signing out…' : 'Sign out'}
            </button>
            {failure && (
              <p role="alert" className="px-3 py-1 text-sm text-red-800">
                {failure}
              </p>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
