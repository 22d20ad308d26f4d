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
 * A part of a process's settings schema (settings/).
 */
export const ZSecretKeySettingsSchema = ZSecretKeyEnvSchema.extend({ SLUICE_HOME: z.string().optional() }).transform((env, ctx) => {
  if (env.SLUICE_SECRET_KEY) return env.SLUICE_SECRET_KEY;
  try {
    return localSecretKey(defaultSluiceHome(env));
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['SLUICE_HOME'], message: (error as Error).message });
    return z.NEVER;
  }
});

/** The secret key of an environment (see ZSecretKeySettingsSchema); throws naming what to fix. */
export function secretKeyFromEnv(env: NodeJS.ProcessEnv): string | null {
  const parsed = ZSecretKeySettingsSchema.safeParse(env);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new Error(issue!.path[0] === 'SLUICE_SECRET_KEY' ? `SLUICE_SECRET_KEY: ${issue!.message}` : issue!.message);
  }
  return parsed.data;
}

/** The key file under the Sluice home, or null when there is none. */
export function localSecretKey(home: string): string | null {
  const file = join(home, SECRET_KEY_FILE);
  if (!existsSync(file)) return null;
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new Error(`${file}: the secret key must be at least 32 characters; delete the file to have \`sluice up\` make a new one (secrets sealed with the old key are lost)`);
  return key;
}

/**
 * Local mode without SLUICE_SECRET_KEY: makes the key file under the Sluice home once (readable by
 * its owner only). Returns the file when it was just created; read the key with localSecretKey.
 */
export function ensureLocalSecretKey(home: string): string | undefined {
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
