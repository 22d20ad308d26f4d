import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * SLUICE_SECRET_KEY seals access-key secrets at rest. Any string of 32+ characters works (e.g.
 * `openssl rand -base64 32`); the AES-256 key is its SHA-256. This schema is its one home.
 */
export const ZSecretKeyEnvSchema = z.object({
  SLUICE_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 32)').optional(),
});

export function secretKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const parsed = ZSecretKeyEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`SLUICE_SECRET_KEY: ${parsed.error.issues[0]!.message}`);
  return parsed.data.SLUICE_SECRET_KEY ?? null;
}

/** `v1:<iv>.<tag>.<ciphertext>` (base64url) with a key, `plain:<secret>` without one. */
export function sealSecret(secret: string, secretKey: string | null): string {
  if (!secretKey) return `plain:${secret}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secretKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1:${[iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.')}`;
}

export function openSecret(stored: string, secretKey: string | null): string {
  if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
  if (!stored.startsWith('v1:')) throw new Error('access key secret: unknown storage format');
  // Without the key, or with another one, the secret cannot be read: say which setting to fix.
  if (!secretKey) throw new Error('access key secret is sealed: set SLUICE_SECRET_KEY to the key it was created with');
  const [iv, tag, sealed] = stored.slice(3).split('.').map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey(secretKey), iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('access key secret does not open with this SLUICE_SECRET_KEY: it was created with another key');
  }
}

function aesKey(secretKey: string): Buffer {
  return createHash('sha256').update(secretKey).digest();
}
