import { and, eq } from 'drizzle-orm';
import * as client from 'openid-client';
import { AppError } from '@sluice/contracts';
import { memberships, users, type UserRow } from '@sluice/db';
import type { Core } from '../context.js';
import { audit } from './audit.js';
import { ensureTeam, findUserByEmail } from './members.js';
import { startSession, type RequestOrigin, type SignedIn } from './sign-in.js';
import type { AuthSettings, OidcSettings } from './settings.js';

/** What the browser must bring back to the callback: kept by the caller (a short-lived cookie). */
export interface OidcChallenge {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Discovery once per issuer and client (the metadata and keys are fetched again on failure). */
const configurations = new Map<string, Promise<client.Configuration>>();

function configurationOf(oidc: OidcSettings): Promise<client.Configuration> {
  const key = `${oidc.issuer}\n${oidc.clientId}`;
  let configuration = configurations.get(key);
  if (!configuration) {
    const issuer = new URL(oidc.issuer);
    configuration = client.discovery(
      issuer,
      oidc.clientId,
      undefined,
      oidc.clientSecret ? client.ClientSecretBasic(oidc.clientSecret) : client.None(),
      // Plain http only for an issuer on this machine (development, tests); settings refuse any other.
      { timeout: 10, ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}) },
    );
    configurations.set(key, configuration);
    configuration.catch(() => configurations.delete(key));
  }
  return configuration;
}

function oidcOf(settings: AuthSettings): OidcSettings {
  if (!settings.oidc) throw new AppError('NOT_FOUND', 'OIDC sign-in is not configured: set SLUICE_OIDC_ISSUER and SLUICE_OIDC_CLIENT_ID');
  return settings.oidc;
}

/**
 * The authorization request (code flow with PKCE S256, state and nonce) to send the browser to,
 * and the challenge to keep until it comes back to `redirectUri`.
 */
export async function beginOidcSignIn(settings: AuthSettings, redirectUri: string): Promise<{ url: URL; challenge: OidcChallenge }> {
  const configuration = await discover(oidcOf(settings));
  const challenge = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(challenge.codeVerifier),
    code_challenge_method: 'S256',
    state: challenge.state,
    nonce: challenge.nonce,
  });
  return { url, challenge };
}

/**
 * The issuer's answer at the callback → a session. The code is exchanged with the PKCE verifier;
 * state and nonce must match the challenge; the ID token is validated (signature, issuer,
 * audience, expiry) by openid-client. The user is found by the identity (issuer + sub) linked
 * before, else by a verified email; a first-time user lands in SLUICE_OIDC_TEAM when it is set.
 */
export async function finishOidcSignIn(core: Core, callbackUrl: URL, challenge: OidcChallenge, origin: RequestOrigin, settings: AuthSettings = core.settings.auth): Promise<SignedIn> {
  const oidc = oidcOf(settings);
  const configuration = await discover(oidc);
  let identity: { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null };
  try {
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: challenge.codeVerifier,
      expectedState: challenge.state,
      expectedNonce: challenge.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    let profile: Record<string, unknown> = claims;
    // Some issuers put email only in userinfo (scope claims stay out of the ID token by default).
    if (typeof claims.email !== 'string') profile = { ...(await client.fetchUserInfo(configuration, tokens.access_token, claims.sub)), ...claims };
    identity = {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof profile.email === 'string' ? profile.email.trim().toLowerCase() : null,
      emailVerified: profile.email_verified === true,
      name: typeof profile.name === 'string' ? profile.name : null,
    };
  } catch (error) {
    const reason = reasonOf(error);
    await audit(core, { user: 'unknown', team: null, ip: origin.ip }, 'sign-in-failed', null, { method: 'oidc', reason: reason.slice(0, 200) });
    throw new AppError('UNAUTHORIZED', `OIDC sign-in failed: ${reason}; start again from the sign-in page`);
  }
  const user = await userForIdentity(core, oidc, identity, origin);
  return startSession(core, user, origin, settings, 'oidc');
}

async function userForIdentity(
  core: Core,
  oidc: OidcSettings,
  identity: { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null },
  origin: RequestOrigin,
): Promise<UserRow> {
  const refuse = async (message: string, reason: string) => {
    await audit(core, { user: identity.email ?? `${identity.issuer}#${identity.subject}`, team: null, ip: origin.ip }, 'sign-in-failed', identity.email, { method: 'oidc', reason });
    return new AppError('FORBIDDEN', message);
  };
  const [linked] = await core.db.select().from(users).where(and(eq(users.oidcIssuer, identity.issuer), eq(users.oidcSubject, identity.subject)));
  if (linked) return linked;
  if (!identity.email || !identity.emailVerified) {
    throw await refuse('the identity provider gave no verified email for this account, so it cannot be matched to a Sluice user', 'no verified email');
  }
  const existing = await findUserByEmail(core, identity.email);
  if (existing) {
    if (existing.oidcSubject && (existing.oidcIssuer !== identity.issuer || existing.oidcSubject !== identity.subject)) {
      throw await refuse(`${identity.email} is linked to another identity at the provider; ask an admin`, 'linked to another identity');
    }
    const [row] = await core.db.update(users).set({ oidcIssuer: identity.issuer, oidcSubject: identity.subject }).where(eq(users.id, existing.id)).returning();
    return row!;
  }
  if (!oidc.team) {
    throw await refuse(`${identity.email} has no Sluice account: ask a team admin to add you, then sign in again`, 'no account');
  }
  const team = oidc.team;
  const user = await core.db.transaction(async (tx) => {
    const [row] = await tx.insert(users).values({ email: identity.email!, name: identity.name, oidcIssuer: identity.issuer, oidcSubject: identity.subject }).returning();
    await ensureTeam(tx, team);
    await tx.insert(memberships).values({ userId: row!.id, team, role: oidc.role });
    return row!;
  });
  await audit(core, { user: user.email, team, ip: origin.ip }, 'user.create', user.email, { role: oidc.role, via: 'oidc' });
  return user;
}

async function discover(oidc: OidcSettings): Promise<client.Configuration> {
  try {
    return await configurationOf(oidc);
  } catch (error) {
    throw new AppError('INTERNAL', `the OIDC issuer ${oidc.issuer} could not be reached or described (${error instanceof Error ? error.message : String(error)}); check SLUICE_OIDC_ISSUER`);
  }
}

/** openid-client wraps the detail ("unexpected \"state\" response parameter value") in causes: keep it. */
function reasonOf(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error && parts.length < 4; current = current.cause) {
    if (!parts.includes(current.message)) parts.push(current.message);
  }
  return parts.join(': ') || String(error);
}
