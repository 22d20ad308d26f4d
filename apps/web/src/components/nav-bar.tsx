'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useSession } from '@/trpc/session';
import { TeamSwitcher } from './team-switcher';
import { UserMenu } from './user-menu';

// `write`: only for people who may change things (viewers cannot create jobs, #7).
const LINKS: Array<{ href: string; label: string; write?: boolean }> = [
  { href: '/jobs', label: 'Jobs' },
  { href: '/jobs/new', label: 'New job', write: true },
  { href: '/models', label: 'Models' },
  { href: '/workers', label: 'Workers' },
  { href: '/comparisons', label: 'Comparisons' },
];

/** The most specific link wins: /jobs/new is New job, not Jobs. */
function currentHref(pathname: string): string | undefined {
  return LINKS.map((l) => l.href)
    .filter((href) => pathname === href || pathname.startsWith(`${href}/`))
    .sort((a, b) => b.length - a.length)[0];
}

export function NavBar() {
  const active = currentHref(usePathname());
  const session = useSession();
  // Signed out (the sign-in page, or while the session loads): the links would only lead back here.
  const links = session ? LINKS.filter((link) => !link.write || session.role !== 'viewer') : [];
  return (
    <header className="border-b border-slate-800 bg-slate-900 text-white">
      <nav aria-label="Main" className="mx-auto flex w-full max-w-7xl items-center gap-6 px-4 py-3 sm:px-6">
        <Link href="/jobs" className="text-lg font-semibold tracking-tight">
          Sluice
        </Link>
        <ul className="flex gap-1">
          {links.map((link) => {
            const current = link.href === active;
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={current ? 'page' : undefined}
                  className={`rounded px-3 py-1.5 text-sm font-medium ${current ? 'bg-slate-700 text-white' : 'text-slate-200 hover:bg-slate-800 hover:text-white'}`}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
        </ul>
        {session && (
          <div className="ml-auto flex items-center gap-4">
            {session.teams.length > 1 ? <TeamSwitcher session={session} /> : null}
            <UserMenu session={session} />
          </div>
        )}
      </nav>
    </header>
  );
}
