'use client';
import { useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { AuthRequestError, signInPath, switchTeam, type Session } from '@/lib/auth-client';
import { errorMessage } from '@/lib/format';
import { isSessionQuery, useSessionState } from '@/trpc/session';

/** One record's page belongs to one team: after a switch it would say "not found", so go to its list. */
function listPageFor(pathname: string): string | null {
  const match = /^\/(jobs|models|comparisons)\/([^/]+)/.exec(pathname);
  if (!match || (match[1] === 'jobs' && match[2] === 'new') || (match[1] === 'comparisons' && match[2] === 'new')) return null;
  return `/${match[1]}`;
}

/** Which team the session works in, for people in several; every page then shows that team's data. */
export function TeamSwitcher({ session }: { session: Session }) {
  const id = useId();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const { setSession } = useSessionState();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function choose(team: string) {
    if (team === session.team) return;
    setBusy(true);
    setFailure(null);
    try {
      setSession(await switchTeam(team, session.csrfToken));
      // Everything cached so far is the other team's: drop it and ask again.
      await queryClient.resetQueries({ predicate: (query) => !isSessionQuery(query) });
      const list = listPageFor(pathname);
      if (list) router.push(list);
    } catch (error) {
      // The session ended meanwhile: sign in again, then come back here.
      if (error instanceof AuthRequestError && error.status === 401) return window.location.assign(signInPath(window.location.pathname + window.location.search));
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm text-slate-300">
        Team
      </label>
      <select
        id={id}
        value={session.team}
        disabled={busy}
        onChange={(event) => void choose(event.target.value)}
        className="rounded border border-slate-600 bg-slate-800 px-2 py-1 text-sm text-white disabled:opacity-60"
      >
        {session.teams.map((team) => (
          <option key={team.name} value={team.name}>
            {team.name} ({team.role})
          </option>
        ))}
      </select>
      {failure && (
        <p role="alert" className="max-w-xs text-sm text-red-300">
          {failure}
        </p>
      )}
    </div>
  );
}
