import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { accessKeys } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { openSecret, sealSecret } from './secret-box.js';

export interface AccessKeyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface FoundAccessKey extends AccessKeyCredentials {
  /** Who the key acts as. */
  actor: Actor;
  revoked: boolean;
}

/** AWS-looking ids (20 characters, upper-case base32) so tools that check the shape accept them. */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new key pair acting as `actor`. The secret is returned once; the table keeps it sealed. */
export async function createAccessKey(core: Core, actor: Actor): Promise<AccessKeyCredentials> {
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

/** The key with its secret (SigV4 verification signs again with it), or undefined. */
export async function findAccessKey(core: Core, accessKeyId: string): Promise<FoundAccessKey | undefined> {
  const [row] = await core.db.select().from(accessKeys).where(eq(accessKeys.accessKeyId, accessKeyId));
  if (!row) return undefined;
  return {
    accessKeyId: row.accessKeyId,
    secretAccessKey: openSecret(row.secret, core.settings.secretKey),
    actor: { user: row.user, team: row.team },
    revoked: row.revokedAt !== null,
  };
}

/** Records that the key signed a request; at most one write a minute per key. */
export async function recordAccessKeyUse(core: Core, accessKeyId: string, now = new Date()): Promise<void> {
  const stale = new Date(now.getTime() - 60_000);
  await core.db
    .update(accessKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(accessKeys.accessKeyId, accessKeyId), or(isNull(accessKeys.lastUsedAt), lt(accessKeys.lastUsedAt, stale))));
}
