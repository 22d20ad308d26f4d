'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useIsAdmin, useSession } from '@/trpc/session';

const TABS = [
  { href: '/settings/tokens', label: 'Tokens and keys', admin: false },
  { href: '/settings/users', label: 'Users', admin: true },
  { href: '/settings/audit', label: 'Audit log', admin: true },
];

/** The settings pages' tabs: everyone has their tokens; a team's admins also its users and audit log. */
export function SettingsNav() {
  const pathname = usePathname();
  const admin = useIsAdmin();
  return (
    <nav aria-label="Settings" className="border-b border-slate-200">
      <ul className="-mb-px flex gap-1">
        {TABS.filter((tab) => admin || !tab.admin).map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? 'page' : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm font-medium ${current ? 'border-blue-700 text-blue-900' : 'border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900'}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** A page for the team's admins: others are told who can do it rather than shown a refusal. */
export function AdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const session = useSession();
  if (session?.role === 'admin') return children;
  return (
    <div role="alert" className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-800">
      Only admins of team {session?.team} can see {what}. You are a {session?.role ?? 'visitor'} in this team.
    </div>
  );
}
