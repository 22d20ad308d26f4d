import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (19 MiB, 2 passes): a PHC string (`$argon2id$v=19$...`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a wrong password, not a crash that tells the caller something.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real verification would for an unknown email (or a user without a password),
 * so how long a failed sign-in takes does not tell whether the email exists.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hash('sluice: a password no one has');
  await verifyPassword(await dummyHash, password);
  return false;
}
