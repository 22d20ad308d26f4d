import { createHmac, randomBytes } from 'node:crypto';
import { sameSitePath } from '@sluice/contracts';
import { sameSecret, type AuthSettings, type Core, type OidcChallenge } from '@sluice/core';

/** How long the browser has to come back from the issuer. */
export const OIDC_STATE_SECONDS = 600;

/** What the OIDC cookie keeps between the start and the callback. */
export interface OidcRoundTrip extends OidcChallenge {
  /** The dashboard path to land on once signed in. */
  next: string;
  /** Epoch ms after which the round trip is refused. */
  expires: number;
}

/**
 * The cookie's value: the round trip as base64url JSON plus an HMAC, so a browser cannot bring
 * back a state, nonce or landing path of its own making. The state and nonce are what protect the
 * callback (they must match what the issuer echoes); the signature keeps the cookie ours. Keyed by
 * SLUICE_SECRET_KEY, else the client secret (a secret this server and the issuer share), else a
 * random key of this process.
 */
export function sealRoundTrip(core: Core, settings: AuthSettings, trip: OidcRoundTrip): string {
  const body = Buffer.from(JSON.stringify(trip)).toString('base64url');
  return `${body}.${signature(core, settings, body)}`;
}

/** The round trip, or a reason it cannot be used. */
export function openRoundTrip(core: Core, settings: AuthSettings, cookie: string | undefined, now = Date.now()): OidcRoundTrip | string {
  if (!cookie) return 'the sign-in was not started in this browser (or its cookie was blocked)';
  const [body, sig] = cookie.split('.');
  if (!body || !sig || !sameSecret(sig, signature(core, settings, body))) return 'the sign-in cookie is not one this server made';
  let trip: OidcRoundTrip;
  try {
    trip = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OidcRoundTrip;
  } catch {
    return 'the sign-in cookie is not one this server made';
  }
  if (typeof trip.expires !== 'number' || trip.expires < now) return 'the sign-in took too long';
  return trip;
}

function signature(core: Core, settings: AuthSettings, body: string): string {
  const key = `sluice oidc round trip\n${core.settings.secretKey ?? settings.oidc?.clientSecret ?? PROCESS_KEY}`;
  return createHmac('sha256', key).update(body).digest('base64url');
}

/**
 * The last resort for a public client (no client secret) without SLUICE_SECRET_KEY: a key no one
 * else knows, but only this process's (a sign-in must then come back to the process that started
 * it; several web processes behind one address need SLUICE_SECRET_KEY).
 */
const PROCESS_KEY = randomBytes(32).toString('base64url');

/** Only paths of this site (`/jobs?x=1`), else the home page. */
export function safeNextPath(next: string | null | undefined): string {
  return sameSitePath(next) ?? '/';
}
