// OIDC sign-in end to end against a real issuer (oidc-provider, in this process, with its
// development login and consent pages), the browser's redirects driven with fetch and a cookie jar.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type AuthSettings } from '@sluice/core';
import { users } from '@sluice/db';
import { startApiServer, type RunningApiServer } from '../http-server.js';
import { startRequiredApi } from './test-support/auth-harness.js';

/** The issuer's accounts: what its userinfo says about each login name. */
const ACCOUNTS: Record<string, { email: string; email_verified: boolean; name: string }> = {
  ada: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
  newbie: { email: 'newbie@example.com', email_verified: true, name: 'New Person' },
  sneaky: { email: 'grace@example.com', email_verified: false, name: 'Not Grace' },
};

let issuerServer: Server;
let issuer: string;
let api: Awaited<ReturnType<typeof startRequiredApi>>;
/** The same service, but first-time OIDC users land in team `newcomers` as members. */
let welcoming: RunningApiServer;

beforeAll(async () => {
  // The issuer's URL must be known before the provider exists: listen first, then mount it.
  const app: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  issuerServer = createServer((req, res) => app.handle!(req, res));
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;

  const oidc = { issuer, clientId: 'sluice', clientSecret: 'sluice-client-secret', team: null, role: 'viewer' as const };
  api = await startRequiredApi({ auth: { oidc } });
  welcoming = await startApiServer({ core: api.core, port: 0, auth: { ...api.core.settings.auth, oidc: { ...oidc, team: 'newcomers', role: 'member' } } as AuthSettings });
  await createUser(api.core, { email: 'ada@example.com', team: 'research', role: 'admin' });
  await createUser(api.core, { email: 'grace@example.com', team: 'research', role: 'admin' });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'sluice',
        client_secret: 'sluice-client-secret',
        redirect_uris: [`${api.url}/api/auth/oidc/callback`, `${welcoming.url}/api/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) }),
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  app.handle = provider.callback();
});
afterAll(async () => {
  await welcoming?.close();
  await api?.stop();
  await new Promise((resolve) => issuerServer?.close(resolve));
});

/** Cookies by origin, as a browser keeps them (paths ignored: sending more cookies changes nothing here). */
class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();
  store(url: string, response: Response): void {
    const jar = this.jars.get(new URL(url).origin) ?? new Map<string, string>();
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, pair!.slice(eq + 1));
    }
    this.jars.set(new URL(url).origin, jar);
  }
  header(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

interface Landing {
  /** The callback URL the issuer sent the browser to (code, state, iss). */
  callback: string;
  jar: CookieJar;
}

/**
 * Starts sign-in at `sluiceUrl`, logs in at the issuer as `login` and consents, following the
 * redirects as a browser would, up to (not including) the callback back to Sluice.
 */
async function throughIssuer(sluiceUrl: string, login: string, next = '/jobs'): Promise<Landing> {
  const jar = new CookieJar();
  const get = async (url: string) => {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, response);
    return response;
  };
  let response = await get(`${sluiceUrl}/api/auth/oidc/start?next=${encodeURIComponent(next)}`);
  expect(response.status).toBe(302);
  let location = response.headers.get('location')!;
  expect(location.startsWith(`${issuer}/auth?`)).toBe(true);
  for (let hops = 0; hops < 20; hops++) {
    if (location.startsWith(`${sluiceUrl}/api/auth/oidc/callback`)) return { callback: location, jar };
    const url = new URL(location, issuer).href;
    response = await get(url);
    if (response.status === 200) {
      // A development interaction page: the login form or the consent form.
      const page = await response.text();
      const prompt = /name="prompt" value="(login|consent)"/.exec(page)?.[1];
      if (!prompt) throw new Error(`unexpected page at ${url}:\n${page.slice(0, 500)}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
      response = await fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(url), 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      jar.store(url, response);
    }
    if (response.status < 300 || response.status >= 400) throw new Error(`the issuer answered ${response.status} at ${url}: ${await response.text()}`);
    location = new URL(response.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects');
}

/** The browser's last step: back to Sluice's callback with its cookies. */
async function callback(landing: Landing, url = landing.callback): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: { cookie: landing.jar.header(url) } });
}

function sessionCookieOf(response: Response): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith('sluice_session=') && !/Max-Age=0/.test(c))?.split(';')[0];
}

function refusal(response: Response): string {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!, 'http://x');
  expect(location.pathname).toBe('/sign-in');
  expect(sessionCookieOf(response)).toBeUndefined();
  return location.searchParams.get('error')!;
}

describe('OIDC sign-in', () => {
  it('says OIDC is enabled, and with which issuer', async () => {
    expect(await (await fetch(`${api.url}/api/auth/config`)).json()).toEqual({ mode: 'required', password: true, oidc: { enabled: true, issuer } });
  });

  it('signs an existing user in by their verified email, links the identity, and lands on `next`', async () => {
    const landing = await throughIssuer(api.url, 'ada');
    const response = await callback(landing);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/jobs');
    const cookie = sessionCookieOf(response)!;
    expect(response.headers.getSetCookie().find((c) => c.startsWith('sluice_session='))).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    const session = (await (await fetch(`${api.url}/api/auth/session`, { headers: { cookie } })).json()) as Record<string, unknown>;
    expect(session).toMatchObject({ user: { email: 'ada@example.com' }, team: 'research', role: 'admin', mode: 'required' });
    const [row] = await api.core.db.select().from(users).where(eq(users.email, 'ada@example.com'));
    expect(row).toMatchObject({ oidcIssuer: issuer, oidcSubject: 'ada' });
  });

  it('refuses a first-time user when no team is configured for them', async () => {
    const error = refusal(await callback(await throughIssuer(api.url, 'newbie')));
    expect(error).toBe('newbie@example.com has no Sluice account: ask a team admin to add you, then sign in again');
  });

  it('lands a first-time user in SLUICE_OIDC_TEAM with SLUICE_OIDC_ROLE when set', async () => {
    const response = await callback(await throughIssuer(welcoming.url, 'newbie', '/models'));
    expect(response.headers.get('location')).toBe('/models');
    const session = (await (await fetch(`${welcoming.url}/api/auth/session`, { headers: { cookie: sessionCookieOf(response)! } })).json()) as Record<string, unknown>;
    expect(session).toMatchObject({ user: { email: 'newbie@example.com', name: 'New Person' }, team: 'newcomers', role: 'member', teams: [{ name: 'newcomers', role: 'member' }] });
  });

  it('refuses an email the issuer has not verified, even when it matches a user', async () => {
    expect(refusal(await callback(await throughIssuer(api.url, 'sneaky')))).toMatch(/no verified email/);
  });

  it('refuses a callback whose state is not the one sent', async () => {
    const landing = await throughIssuer(api.url, 'ada');
    const forged = new URL(landing.callback);
    forged.searchParams.set('state', 'forged-state');
    expect(refusal(await callback(landing, forged.href))).toMatch(/^OIDC sign-in failed: .*unexpected "state" response parameter value/);
  });

  it('refuses a callback in a browser that did not start the sign-in', async () => {
    const landing = await throughIssuer(api.url, 'ada');
    const response = await fetch(landing.callback, { redirect: 'manual' });
    expect(refusal(response)).toBe('OIDC sign-in failed: the sign-in was not started in this browser (or its cookie was blocked); start again from the sign-in page');
  });

  it('lands only on paths of this site', async () => {
    const response = await callback(await throughIssuer(api.url, 'ada', '//evil.example/steal'));
    expect(response.headers.get('location')).toBe('/');
  });
});
