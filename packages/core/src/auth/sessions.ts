import { and, eq, lt } from 'drizzle-orm';
import { memberships, sessions, users } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { randomSecret, sha256Hex } from './opaque-tokens.js';
import type { Role } from '@sluice/contracts';
import type { AuthSettings } from './settings.js';

/** A new dashboard sign-in: the cookie's token and the CSRF token are shown to the browser only. */
export interface NewSession {
  token: string;
  csrfToken: string;
  team: string;
  expiresAt: Date;
}

/** A session found by its cookie: who it acts as, and the CSRF token mutations must echo. */
export interface FoundSession {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
}

/** Why a cookie signs no one in; the caller turns it into a message. */
export type SessionProblem = 'unknown' | 'expired' | 'not-a-member';

/** Sliding sessions are renewed at most once a minute, so reads do not each cost a write. */
const RENEW_AFTER_MS = 60_000;

export async function createSession(core: Core, user: { id: string }, team: string, context: { ip?: string | null; userAgent?: string | null }, settings: AuthSettings, now = new Date()): Promise<NewSession> {
  const token = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(now.getTime() + Math.min(settings.sessionHours, settings.sessionMaxHours) * 3_600_000);
  // Expired sessions are useless; clearing them here keeps the table at the live ones.
  await core.db.delete(sessions).where(lt(sessions.expiresAt, now));
  await core.db.insert(sessions).values({
    createdAt: now,
    tokenHash: sha256Hex(token),
    userId: user.id,
    team,
    csrfToken,
    expiresAt,
    lastSeenAt: now,
    ip: context.ip ?? null,
    userAgent: context.userAgent?.slice(0, 512) ?? null,
  });
  await core.db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { token, csrfToken, team, expiresAt };
}

/**
 * The session a cookie holds, renewed for another `sessionHours` (sliding), but never past
 * `sessionMaxHours` after its sign-in (absolute: a stolen cookie kept busy dies too). The user must still be
 * a member of the session's team with the role they have now: a role change or a removal takes
 * effect on their next request.
 */
export async function findSession(core: Core, token: string, settings: AuthSettings, options: { ip?: string | null; now?: Date } = {}): Promise<FoundSession | SessionProblem> {
  const now = options.now ?? new Date();
  const tokenHash = sha256Hex(token);
  const [row] = await core.db
    .select({ session: sessions, email: users.email, disabledAt: users.disabledAt, role: memberships.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.team, sessions.team)))
    .where(eq(sessions.tokenHash, tokenHash));
  if (!row || row.disabledAt) return 'unknown';
  const endOfLife = row.session.createdAt.getTime() + settings.sessionMaxHours * 3_600_000;
  if (row.session.expiresAt.getTime() <= now.getTime() || endOfLife <= now.getTime()) {
    await core.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return 'expired';
  }
  if (!row.role) return 'not-a-member';
  let expiresAt = row.session.expiresAt;
  if (now.getTime() - row.session.lastSeenAt.getTime() > RENEW_AFTER_MS) {
    expiresAt = new Date(Math.min(now.getTime() + settings.sessionHours * 3_600_000, endOfLife));
    await core.db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.tokenHash, tokenHash));
  }
  return {
    actor: { user: row.email, userId: row.session.userId, team: row.session.team, role: row.role as Role, ip: options.ip ?? null },
    csrfToken: row.session.csrfToken,
    expiresAt,
  };
}

/** Signs the cookie's session out (a cookie that matches nothing is fine: already signed out). */
export async function endSession(core: Core, token: string): Promise<void> {
  await core.db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

/** Moves the session to another team; the caller has checked the membership. */
export async function switchSessionTeam(core: Core, token: string, team: string): Promise<void> {
  await core.db.update(sessions).set({ team }).where(eq(sessions.tokenHash, sha256Hex(token)));
}
