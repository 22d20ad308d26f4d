import { eq } from 'drizzle-orm';
import { users } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { teamsOfUser } from './members.js';
import type { AccountView } from '@sluice/contracts';
import type { AuthMode } from './settings.js';

/** GET /api/auth/session and the sign-in answer: the account plus what the dashboard needs. */
export interface SessionView extends AccountView {
  /** Send it back as `x-sluice-csrf` on every mutation; '' when no session cookie is in use. */
  csrfToken: string;
  mode: AuthMode;
}

export async function accountOf(core: Core, actor: Actor): Promise<AccountView> {
  if (!actor.userId) {
    // The local admin has no users row: a single-user install with one team.
    return { user: { email: actor.user, name: 'Local admin' }, team: actor.team, role: actor.role, teams: [{ name: actor.team, role: actor.role }] };
  }
  const [user] = await core.db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, actor.userId));
  return { user: { email: user?.email ?? actor.user, name: user?.name ?? null }, team: actor.team, role: actor.role, teams: await teamsOfUser(core, actor.userId) };
}

export async function sessionViewOf(core: Core, actor: Actor, csrfToken: string, mode: AuthMode): Promise<SessionView> {
  return { ...(await accountOf(core, actor)), csrfToken, mode };
}
