import { and, count, eq, gt, inArray, lt, min } from 'drizzle-orm';
import { AppError } from '@sluice/contracts';
import { signInAttempts } from '@sluice/db';
import type { Core } from '../context.js';
import type { AuthSettings } from './settings.js';

/** LIMIT_EXCEEDED with the seconds until the next attempt may go through (HTTP Retry-After). */
export class SignInRateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('LIMIT_EXCEEDED', `too many failed sign-ins; try again in ${formatWait(retryAfterSeconds)}`);
  }
}

interface AttemptKeys {
  email: string;
  ip: string | null | undefined;
}

/**
 * Attempts whose address is unknown (a server that cannot see the connection, without a trusted
 * proxy) share one address: an attacker there is bounded like one address, never unbounded.
 */
const UNKNOWN_ADDRESS = 'ip:unknown';

function keysOf({ email, ip }: AttemptKeys): { email: string; ip: string } {
  return { email: `email:${email.trim().toLowerCase()}`, ip: ip ? `ip:${ip}` : UNKNOWN_ADDRESS };
}

/**
 * Refuses a sign-in once the email, or the address it comes from, has failed too often within the
 * window (10 per email and 50 per address in 15 minutes by default). Only failures count, so a
 * user who signs in often is never held back; one success clears the email's failures.
 */
export async function checkSignInRate(core: Core, attempt: AttemptKeys, settings: AuthSettings, now = new Date(), { counted = 0 } = {}): Promise<void> {
  const { windowMinutes, perEmail, perIp } = settings.signInLimit;
  const keys = keysOf(attempt);
  const windowMs = windowMinutes * 60_000;
  const rows = await core.db
    .select({ key: signInAttempts.key, failures: count(), oldest: min(signInAttempts.time) })
    .from(signInAttempts)
    .where(and(inArray(signInAttempts.key, [keys.email, keys.ip]), eq(signInAttempts.succeeded, false), gt(signInAttempts.time, new Date(now.getTime() - windowMs))))
    .groupBy(signInAttempts.key);
  for (const row of rows) {
    const limit = row.key === keys.email ? perEmail : perIp;
    // `counted`: attempts of this request already recorded as failures (see reserveSignInAttempt).
    if (row.failures - counted >= limit && row.oldest) {
      throw new SignInRateLimited(Math.max(1, Math.ceil((row.oldest.getTime() + windowMs - now.getTime()) / 1000)));
    }
  }
}

/**
 * Records this attempt as a failure before the password is checked, then checks the limit with it
 * counted: of a burst of concurrent attempts, each sees the others' reservations, so no more than
 * the limit get through (checking first and recording after the slow password hash let a whole
 * burst pass). `release` takes the reservation back when the sign-in succeeds; a failed one stays.
 */
export async function reserveSignInAttempt(core: Core, attempt: AttemptKeys, settings: AuthSettings, now = new Date()): Promise<{ release(): Promise<void> }> {
  const keys = keysOf(attempt);
  const all = [keys.email, keys.ip];
  await core.db.delete(signInAttempts).where(and(inArray(signInAttempts.key, all), lt(signInAttempts.time, new Date(now.getTime() - settings.signInLimit.windowMinutes * 60_000))));
  const rows = await core.db.insert(signInAttempts).values(all.map((key) => ({ key, time: now, succeeded: false }))).returning({ id: signInAttempts.id });
  await checkSignInRate(core, attempt, settings, now, { counted: 1 });
  return { release: async () => void (await core.db.delete(signInAttempts).where(inArray(signInAttempts.id, rows.map((r) => r.id)))) };
}

/** Counts one attempt for the email and the address; old attempts of these keys are pruned. */
export async function recordSignInAttempt(core: Core, attempt: AttemptKeys & { succeeded: boolean }, settings: AuthSettings, now = new Date()): Promise<void> {
  const keys = keysOf(attempt);
  const all = [keys.email, keys.ip];
  await core.db.transaction(async (tx) => {
    await tx.delete(signInAttempts).where(and(inArray(signInAttempts.key, all), lt(signInAttempts.time, new Date(now.getTime() - settings.signInLimit.windowMinutes * 60_000))));
    if (attempt.succeeded) await tx.delete(signInAttempts).where(and(eq(signInAttempts.key, keys.email), eq(signInAttempts.succeeded, false)));
    await tx.insert(signInAttempts).values(all.map((key) => ({ key, time: now, succeeded: attempt.succeeded })));
  });
}

function formatWait(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
