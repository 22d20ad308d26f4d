import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, ZApiTokenRefSchema, ZCreateApiTokenForUserSchema, ZCreateApiTokenSchema, ZEmailSchema, type ApiTokenView, type NewApiToken, type Role } from '@sluice/contracts';
import { apiTokens, memberships, users } from '@sluice/db';
import { requireSignedIn, type Actor, type Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { audit } from './audit.js';
import { findUserByEmail, teamsOfUser } from './members.js';
import { randomSecret, sha256Hex } from './opaque-tokens.js';

/** Personal API tokens look like `slt_<43 characters>`: easy to spot in a leaked file or a scanner. */
export const API_TOKEN_PREFIX = 'slt_';
/** How much of a token is kept readable, so a user can tell theirs apart: `slt_` and 4 more. */
const SHOWN_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 4;

/** Why a bearer token signs no one in; the caller turns it into a message. */
export type ApiTokenProblem = 'unknown' | 'revoked' | 'expired' | 'not-a-member';

/** account.tokens.create: a token acting as the signed-in user in their current team. */
export async function createApiToken(core: Core, actor: Actor, input: unknown): Promise<NewApiToken> {
  const options = parseInput(ZCreateApiTokenSchema, input ?? {});
  requireSignedIn(actor, 'an API token');
  if (!actor.userId) {
    throw new AppError('CONFLICT', 'the local admin needs no token (local mode lets requests without one in); for tokens, create a user: sluice users create --email you@example.com --team default --role admin --password-stdin');
  }
  const created = await issueToken(core, { userId: actor.userId, team: actor.team }, options);
  await audit(core, actor, 'token.create', created.id, { name: created.name, prefix: created.prefix });
  return created;
}

/** `sluice tokens create --email E [--team T]`: for the operator, who has the database. */
export async function createApiTokenForUser(core: Core, input: unknown): Promise<NewApiToken & { email: string }> {
  const { email, team, ...options } = parseInput(ZCreateApiTokenForUserSchema, input);
  const user = await findUserByEmail(core, email);
  if (!user) throw new AppError('NOT_FOUND', `no user ${email}: create the user first (sluice users create --email ${email} --team TEAM --role member)`);
  const teams = await teamsOfUser(core, user.id);
  let chosen = team;
  if (chosen === undefined) {
    if (teams.length !== 1) {
      throw new AppError('VALIDATION', `team: ${email} is in ${teams.length === 0 ? 'no team' : `teams ${teams.map((t) => t.name).join(', ')}`}: choose the token's team with --team`, [{ path: 'team', message: 'choose the team the token acts in' }]);
    }
    chosen = teams[0]!.name;
  } else if (!teams.some((t) => t.name === chosen)) {
    throw new AppError('VALIDATION', `team: ${email} is not a member of team '${chosen}' (their teams: ${teams.map((t) => t.name).join(', ') || 'none'})`, [{ path: 'team', message: 'not one of the user\'s teams' }]);
  }
  const created = await issueToken(core, { userId: user.id, team: chosen }, options);
  await audit(core, { user: email, team: chosen }, 'token.create', created.id, { name: created.name, prefix: created.prefix, via: 'sluice tokens create' });
  return { ...created, email };
}

async function issueToken(core: Core, owner: { userId: string; team: string }, options: z.output<typeof ZCreateApiTokenSchema>): Promise<NewApiToken> {
  const token = `${API_TOKEN_PREFIX}${randomSecret()}`;
  const prefix = token.slice(0, SHOWN_PREFIX_LENGTH);
  const expiresAt = options.expiresInDays ? new Date(Date.now() + options.expiresInDays * 86_400_000) : null;
  const [row] = await core.db.insert(apiTokens).values({ userId: owner.userId, team: owner.team, name: options.name, tokenHash: sha256Hex(token), prefix, expiresAt }).returning();
  return { id: row!.id, name: row!.name, token, prefix, team: row!.team, createdAt: row!.createdAt, expiresAt: row!.expiresAt };
}

/** account.tokens.list: the signed-in user's tokens in their current team, newest first. */
export async function listApiTokens(core: Core, actor: Actor): Promise<ApiTokenView[]> {
  if (!actor.userId) return [];
  const rows = await core.db.select().from(apiTokens).where(and(eq(apiTokens.userId, actor.userId), eq(apiTokens.team, actor.team))).orderBy(desc(apiTokens.createdAt));
  return rows.map(toView);
}

/** `sluice tokens list --email E`: every token of the user, in every team. */
export async function listApiTokensOfUser(core: Core, email: string): Promise<ApiTokenView[]> {
  const user = await findUserByEmail(core, parseInput(ZEmailSchema, email));
  if (!user) throw new AppError('NOT_FOUND', `no user ${email}`);
  const rows = await core.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id)).orderBy(desc(apiTokens.createdAt));
  return rows.map(toView);
}

/** account.tokens.revoke: only the user's own token in this team; anyone else's is not found. */
export async function revokeApiToken(core: Core, actor: Actor, input: unknown): Promise<ApiTokenView> {
  const { id } = parseInput(ZApiTokenRefSchema, input);
  const [row] = actor.userId
    ? await core.db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), eq(apiTokens.team, actor.team), isNull(apiTokens.revokedAt)))
        .returning()
    : [];
  if (!row) throw await tokenNotRevoked(core, id, actor.userId ? and(eq(apiTokens.userId, actor.userId), eq(apiTokens.team, actor.team)) : undefined);
  await audit(core, actor, 'token.revoke', row.id, { name: row.name, prefix: row.prefix });
  return toView(row);
}

/** `sluice tokens revoke ID`: the operator revokes any token. */
export async function revokeApiTokenById(core: Core, id: string): Promise<ApiTokenView & { email: string }> {
  parseInput(ZApiTokenRefSchema, { id });
  const [row] = await core.db.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning();
  if (!row) throw await tokenNotRevoked(core, id, undefined);
  const [user] = await core.db.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
  await audit(core, { user: user?.email ?? 'unknown', team: row.team }, 'token.revoke', row.id, { name: row.name, prefix: row.prefix, via: 'sluice tokens revoke' });
  return { ...toView(row), email: user?.email ?? '' };
}

/** NOT_FOUND, or CONFLICT when the token (one the caller may see) was revoked already. */
async function tokenNotRevoked(core: Core, id: string, visible: ReturnType<typeof and>): Promise<AppError> {
  const [row] = await core.db.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(visible ? and(eq(apiTokens.id, id), visible) : eq(apiTokens.id, id));
  if (row?.revokedAt) return new AppError('CONFLICT', `token ${id} was already revoked on ${row.revokedAt.toISOString()}`);
  return new AppError('NOT_FOUND', `no token ${id}`);
}

/**
 * Who a bearer token acts as: its user, in its team, with the role they have there now. Records
 * when it was last used, at most once a minute per token.
 */
export async function actorForApiToken(core: Core, token: string, options: { ip?: string | null; now?: Date } = {}): Promise<Actor | ApiTokenProblem> {
  const now = options.now ?? new Date();
  const tokenHash = sha256Hex(token);
  const [row] = await core.db
    .select({ token: apiTokens, email: users.email, disabledAt: users.disabledAt, role: memberships.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(memberships, and(eq(memberships.userId, apiTokens.userId), eq(memberships.team, apiTokens.team)))
    .where(eq(apiTokens.tokenHash, tokenHash));
  if (!row || row.disabledAt) return 'unknown';
  if (row.token.revokedAt) return 'revoked';
  if (row.token.expiresAt && row.token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (!row.role) return 'not-a-member';
  const aMinuteAgo = new Date(now.getTime() - 60_000);
  // The row read above says whether it is due; the condition repeats it for concurrent requests.
  if (!row.token.lastUsedAt || row.token.lastUsedAt < aMinuteAgo) {
    await core.db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, row.token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, aMinuteAgo))));
  }
  return { user: row.email, userId: row.token.userId, team: row.token.team, role: row.role as Role, ip: options.ip ?? null };
}

function toView(row: typeof apiTokens.$inferSelect): ApiTokenView {
  return { id: row.id, name: row.name, prefix: row.prefix, team: row.team, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}
