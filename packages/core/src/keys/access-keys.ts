import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { AppError, ZAccessKeyRefSchema, ZCreateAccessKeyForUserSchema } from '@sluice/contracts';
import { accessKeys } from '@sluice/db';
import { audit } from '../auth/audit.js';
import type { AuthSettings } from '../auth/settings.js';
import { actorInTeam, findUserByEmail, teamsOfUser } from '../auth/members.js';
import { LOCAL_ACTOR, requireSignedIn, type Actor, type Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { openSecret, sealSecret } from './secret-box.js';

export interface AccessKeyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface FoundAccessKey extends AccessKeyCredentials {
  /** Whose key it is: the user's email (or `local`) and the team it acts in. */
  owner: { user: string; team: string };
  revoked: boolean;
}

/** An access key as lists show it: never the secret, which only its creator saw, once. */
export interface AccessKeyView {
  accessKeyId: string;
  team: string;
  user: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Why a key signs no one in; the SageMaker API answers UnrecognizedClient with the reason. */
export type AccessKeyProblem = 'local-key-in-required-mode' | 'unknown-user' | 'not-a-member';

/** AWS-looking ids (20 characters, upper-case base32) so tools that check the shape accept them. */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new key pair acting as `actor`. The secret is returned once; the table keeps it sealed. */
export async function createAccessKey(core: Core, actor: Pick<Actor, 'user' | 'team'>): Promise<AccessKeyCredentials> {
  const accessKeyId = `SLK${Array.from(randomBytes(17), (b) => ID_ALPHABET[b % 32]).join('')}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  await core.db.insert(accessKeys).values({
    accessKeyId,
    secret: sealSecret(secretAccessKey, core.settings.secretKey),
    team: actor.team,
    user: actor.user,
  });
  return { accessKeyId, secretAccessKey };
}

/** account.keys.create: a key for the signed-in user in their current team (audited). */
export async function createAccountAccessKey(core: Core, actor: Actor): Promise<AccessKeyCredentials> {
  requireSignedIn(actor, 'an access key');
  const key = await createAccessKey(core, actor);
  await audit(core, actor, 'key.create', key.accessKeyId);
  return key;
}

/**
 * `sluice keys create --email E`: a key for an existing user, in their team (--team when they
 * have several). Unknown emails are refused: keys belong to users.
 */
export async function createAccessKeyForUser(core: Core, input: unknown): Promise<AccessKeyCredentials & { user: string; team: string }> {
  const { email, team } = parseInput(ZCreateAccessKeyForUserSchema, input);
  const user = await findUserByEmail(core, email);
  if (!user) throw new AppError('NOT_FOUND', `no user ${email}: create the user first (sluice users create --email ${email} --team TEAM --role member)`);
  const teams = await teamsOfUser(core, user.id);
  const chosen = team ?? (teams.length === 1 ? teams[0]!.name : undefined);
  if (!chosen || !teams.some((t) => t.name === chosen)) {
    const theirs = teams.map((t) => t.name).join(', ') || 'none';
    throw new AppError('VALIDATION', `team: choose one of ${email}'s teams with --team (their teams: ${theirs})`, [{ path: 'team', message: 'choose one of the user\'s teams' }]);
  }
  const key = await createAccessKey(core, { user: user.email, team: chosen });
  await audit(core, { user: user.email, team: chosen }, 'key.create', key.accessKeyId, { via: 'sluice keys create' });
  return { ...key, user: user.email, team: chosen };
}

/** account.keys.list: the signed-in user's keys in their current team, newest first. */
export async function listAccessKeys(core: Core, actor: Actor): Promise<AccessKeyView[]> {
  const rows = await core.db.select().from(accessKeys).where(and(eq(accessKeys.user, actor.user), eq(accessKeys.team, actor.team))).orderBy(desc(accessKeys.createdAt));
  return rows.map((r) => ({ accessKeyId: r.accessKeyId, team: r.team, user: r.user, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt }));
}

/** account.keys.revoke: only the user's own key in this team; anyone else's is not found. */
export async function revokeAccessKey(core: Core, actor: Actor, input: unknown): Promise<void> {
  const { accessKeyId } = parseInput(ZAccessKeyRefSchema, input);
  const mine = and(eq(accessKeys.accessKeyId, accessKeyId), eq(accessKeys.user, actor.user), eq(accessKeys.team, actor.team));
  const [row] = await core.db.update(accessKeys).set({ revokedAt: new Date() }).where(and(mine, isNull(accessKeys.revokedAt))).returning();
  if (!row) {
    const [existing] = await core.db.select({ revokedAt: accessKeys.revokedAt }).from(accessKeys).where(mine);
    if (existing) throw new AppError('CONFLICT', `access key ${accessKeyId} was already revoked`);
    throw new AppError('NOT_FOUND', `no access key ${accessKeyId}`);
  }
  await audit(core, actor, 'key.revoke', accessKeyId);
}

/** The key with its secret (SigV4 verification signs again with it), or undefined. */
export async function findAccessKey(core: Core, accessKeyId: string): Promise<FoundAccessKey | undefined> {
  const [row] = await core.db.select().from(accessKeys).where(eq(accessKeys.accessKeyId, accessKeyId));
  if (!row) return undefined;
  return {
    accessKeyId: row.accessKeyId,
    secretAccessKey: openSecret(row.secret, core.settings.secretKey),
    owner: { user: row.user, team: row.team },
    revoked: row.revokedAt !== null,
  };
}

/**
 * Who a key acts as: its user in its team, with the role they have there now. Keys of the local
 * admin (`sluice keys create` without --email) act as the local admin in local mode only; a key of
 * an email with no user (made before users existed) likewise.
 */
export async function actorForAccessKey(core: Core, key: FoundAccessKey, ip?: string | null, settings: AuthSettings = core.settings.auth): Promise<Actor | AccessKeyProblem> {
  const local = settings.mode === 'local';
  const via = 'access-key' as const;
  if (key.owner.user === LOCAL_ACTOR.user) return local ? { ...LOCAL_ACTOR, team: key.owner.team, ip: ip ?? null, via } : 'local-key-in-required-mode';
  const user = await findUserByEmail(core, key.owner.user);
  if (!user || user.disabledAt) return local && !user ? { user: key.owner.user, userId: null, team: key.owner.team, role: 'admin', ip: ip ?? null, via } : 'unknown-user';
  const actor = await actorInTeam(core, user, key.owner.team, ip);
  return actor ? { ...actor, via } : 'not-a-member';
}

/** Records that the key signed a request; at most one write a minute per key. */
export async function recordAccessKeyUse(core: Core, accessKeyId: string, now = new Date()): Promise<void> {
  const stale = new Date(now.getTime() - 60_000);
  await core.db
    .update(accessKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(accessKeys.accessKeyId, accessKeyId), or(isNull(accessKeys.lastUsedAt), lt(accessKeys.lastUsedAt, stale))));
}
