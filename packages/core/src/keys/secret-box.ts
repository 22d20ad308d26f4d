import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultSluiceHome } from '@sluice/db';

/**
 * SLUICE_SECRET_KEY seals secrets at rest: access-key secrets and model env values marked secret.
 * Any string of 32+ characters works (e.g. `openssl rand -base64 32`); the AES-256 key is its
 * SHA-256. This schema is its one home.
 */
export const ZSecretKeyEnvSchema = z.object({
  SLUICE_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 32)').optional(),
});

/** Where a local install keeps the key `sluice up` made for it (under SLUICE_HOME). */
export const SECRET_KEY_FILE = 'secret-key';

/**
 * SLUICE_SECRET_KEY, else the key file under SLUICE_HOME (written once by `sluice up` in local
 * mode, so every process of a local install — up, worker, dashboard, CLI — agrees), else null.
 */
export function secretKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const parsed = ZSecretKeyEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`SLUICE_SECRET_KEY: ${parsed.error.issues[0]!.message}`);
  if (parsed.data.SLUICE_SECRET_KEY) return parsed.data.SLUICE_SECRET_KEY;
  const file = join(defaultSluiceHome(env), SECRET_KEY_FILE);
  if (!existsSync(file)) return null;
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new Error(`${file}: the secret key must be at least 32 characters; delete the file to have \`sluice up\` make a new one (secrets sealed with the old key are lost)`);
  return key;
}

/**
 * Local mode: makes the key file under SLUICE_HOME once (readable by its owner only), unless
 * SLUICE_SECRET_KEY is set. Returns the file when it was just created.
 */
export function ensureLocalSecretKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SLUICE_SECRET_KEY) return undefined;
  const home = defaultSluiceHome(env);
  const file = join(home, SECRET_KEY_FILE);
  if (existsSync(file)) return undefined;
  mkdirSync(home, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: theirs is the key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  return file;
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
