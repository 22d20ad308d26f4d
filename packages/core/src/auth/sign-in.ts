import { AppError, ZSignInSchema } from '@sluice/contracts';
import type { UserRow } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { audit } from './audit.js';
import { actorInTeam, findUserByEmail, teamsOfUser } from './members.js';
import { verifyNothing, verifyPassword } from './passwords.js';
import { checkSignInRate, recordSignInAttempt, reserveSignInAttempt } from './rate-limit.js';
import { createSession, type NewSession } from './sessions.js';
import type { AuthSettings } from './settings.js';

export interface RequestOrigin {
  ip?: string | null;
  userAgent?: string | null;
}

export interface SignedIn {
  session: NewSession;
  actor: Actor;
}

/** One message for a wrong password and an unknown email: a failed sign-in does not say which. */
export const WRONG_EMAIL_OR_PASSWORD = 'wrong email or password';

/**
 * Email and password → a new session in the user's first team. Rate-limited per email and per
 * address (SignInRateLimited); every attempt is audited, failures without a team.
 */
export async function signInWithPassword(core: Core, input: unknown, origin: RequestOrigin, settings: AuthSettings = core.settings.auth): Promise<SignedIn> {
  const { email, password } = parseInput(ZSignInSchema, input);
  // Refused at once when already over the limit, without writing anything.
  await checkSignInRate(core, { email, ip: origin.ip }, settings);
  const reservation = await reserveSignInAttempt(core, { email, ip: origin.ip }, settings);
  const user = await findUserByEmail(core, email);
  const ok = user?.passwordHash && !user.disabledAt ? await verifyPassword(user.passwordHash, password) : await verifyNothing(password);
  if (!ok || !user) {
    // The reservation stays: it is this failure.
    await audit(core, { user: email, team: null, ip: origin.ip }, 'sign-in-failed', email, { method: 'password' });
    throw new AppError('UNAUTHORIZED', WRONG_EMAIL_OR_PASSWORD);
  }
  await reservation.release();
  await recordSignInAttempt(core, { email, ip: origin.ip, succeeded: true }, settings);
  return startSession(core, user, origin, settings, 'password');
}

/** A session for a user whose identity is proven (password or OIDC), in their first team. */
export async function startSession(core: Core, user: UserRow, origin: RequestOrigin, settings: AuthSettings, method: 'password' | 'oidc'): Promise<SignedIn> {
  if (user.disabledAt) {
    // The password path never gets here for a disabled user; an identity provider may still vouch for one.
    await audit(core, { user: user.email, team: null, ip: origin.ip }, 'sign-in-failed', user.email, { method, reason: 'disabled' });
    throw new AppError('FORBIDDEN', `${user.email}'s account is disabled: ask the operator (sluice users enable)`);
  }
  const [first] = await teamsOfUser(core, user.id);
  const actor = first ? await actorInTeam(core, user, first.name, origin.ip) : undefined;
  if (!actor) {
    await audit(core, { user: user.email, team: null, ip: origin.ip }, 'sign-in-failed', user.email, { method, reason: 'no team' });
    throw new AppError('FORBIDDEN', `${user.email} is not a member of any team yet: ask a team admin to add you`);
  }
  const session = await createSession(core, user, actor.team, origin, settings);
  await audit(core, actor, 'sign-in', user.email, { method });
  return { session, actor };
}
