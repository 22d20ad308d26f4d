// Dashboard sign-in over real HTTP against a real database: passwords, sessions and their cookies,
// CSRF, rate limits, team switching, and what local mode lets through.
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, DEFAULT_AUTH_SETTINGS, type AuthSettings } from '@sluice/core';
import { auditLog, sessions, users } from '@sluice/db';
import { startApiServer, type RunningApiServer } from '../http-server.js';
import { failureOf, startTestApi } from '../test-support/api-harness.js';
import { clientWith, postJson, signIn, startRequiredApi, tokenClient } from './test-support/auth-harness.js';

let api: Awaited<ReturnType<typeof startRequiredApi>>;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  api = await startRequiredApi();
  await createUser(api.core, { email: 'Ada@Example.com', name: 'Ada', team: 'research', role: 'admin', password: PASSWORD });
  await createUser(api.core, { email: 'ada@example.com', team: 'ops', role: 'viewer' });
});
afterAll(async () => {
  await api?.stop();
});

/** The answer as a JSON object, with its status. */
async function answer(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('sign-in with email and password', () => {
  it('says how sign-in works without credentials', async () => {
    expect(await answer(await fetch(`${api.url}/api/auth/config`))).toEqual({ status: 200, body: { mode: 'required', password: true, oidc: { enabled: false } } });
  });

  it('refuses every request without credentials, saying how to sign in or set SLUICE_TOKEN', async () => {
    const session = await answer(await fetch(`${api.url}/api/auth/session`));
    expect(session.status).toBe(401);
    expect(session.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/^sign-in required: .*sluice tokens create --email .*SLUICE_TOKEN/) } });
    const error = await failureOf(api.client.models.list.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, appCode: 'UNAUTHORIZED' });
    expect(error.message).toMatch(/^sign-in required/);
  });

  it('signs in with the right password (email in any case): the session, and an HttpOnly SameSite=Lax cookie for /', async () => {
    const response = await postJson(api.url, '/api/auth/sign-in', { email: 'ADA@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^sluice_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      user: { email: 'ada@example.com', name: 'Ada' },
      team: 'research',
      role: 'admin',
      teams: [
        { name: 'research', role: 'admin' },
        { name: 'ops', role: 'viewer' },
      ],
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      mode: 'required',
    });
    const session = await answer(await fetch(`${api.url}/api/auth/session`, { headers: { cookie: cookie!.split(';')[0]! } }));
    expect(session).toEqual({ status: 200, body });
  });

  it('stores the password as argon2id and the session by its hash only', async () => {
    const [user] = await api.core.db.select().from(users).where(eq(users.email, 'ada@example.com'));
    expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(user!.passwordHash).not.toContain(PASSWORD);
    const browser = await signIn(api.url, 'ada@example.com', PASSWORD);
    const token = decodeURIComponent(browser.cookie.split('=')[1]!);
    const rows = await api.core.db.select().from(sessions);
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('answers a wrong password and an unknown email with the same 401, and audits both without the password', async () => {
    const wrong = await answer(await postJson(api.url, '/api/auth/sign-in', { email: 'ada@example.com', password: 'not the password' }));
    const unknown = await answer(await postJson(api.url, '/api/auth/sign-in', { email: 'nobody@example.com', password: PASSWORD }));
    expect(wrong).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'wrong email or password' } } });
    expect(unknown).toEqual(wrong);
    const failed = await api.core.db.select().from(auditLog).where(eq(auditLog.action, 'sign-in-failed'));
    expect(failed.map((r) => [r.actor, r.team])).toEqual(expect.arrayContaining([['ada@example.com', null], ['nobody@example.com', null]]));
    const signedIn = await api.core.db.select().from(auditLog).where(eq(auditLog.action, 'sign-in'));
    expect(signedIn[0]).toMatchObject({ actor: 'ada@example.com', team: 'research', ip: expect.stringMatching(/127\.0\.0\.1/) });
    const everything = JSON.stringify(await api.core.db.select().from(auditLog));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('not the password');
  });

  it('names the bad field of a malformed sign-in', async () => {
    expect(await answer(await postJson(api.url, '/api/auth/sign-in', { email: 'not-an-email', password: 'x' }))).toEqual({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'email: must be an email address, e.g. ada@example.com' } },
    });
  });

  it('refuses a sign-in posted by a page of another site (login CSRF)', async () => {
    const response = await answer(await postJson(api.url, '/api/auth/sign-in', { email: 'ada@example.com', password: PASSWORD }, { origin: 'http://evil.example' }));
    expect(response).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringMatching(/^cross-site sign-in refused/) } } });
  });

  it('accepts a sign-in from SLUICE_PUBLIC_URL behind a proxy that rewrites Host', async () => {
    const proxied = await startApiServer({ core: api.core, port: 0, auth: { ...api.core.settings.auth, publicUrl: 'https://sluice.example.com' } });
    try {
      const fromPublic = await postJson(proxied.url, '/api/auth/sign-in', { email: 'ada@example.com', password: PASSWORD }, { origin: 'https://sluice.example.com' });
      expect(fromPublic.status).toBe(200);
      expect((await postJson(proxied.url, '/api/auth/sign-in', { email: 'ada@example.com', password: PASSWORD }, { origin: 'https://evil.example' })).status).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});

describe('a signed-in session', () => {
  it('reads without the CSRF header, but changes nothing without the right one', async () => {
    const browser = await signIn(api.url, 'ada@example.com', PASSWORD);
    const bare = clientWith(api.url, { cookie: browser.cookie });
    expect(await bare.models.list.query()).toEqual([]);
    for (const csrf of [undefined, 'wrong-token']) {
      const client = clientWith(api.url, { cookie: browser.cookie, ...(csrf ? { 'x-sluice-csrf': csrf } : {}) });
      const error = await failureOf(client.models.create.mutate({ name: 'refused', kind: 'http', url: 'http://127.0.0.1:9' }));
      expect(error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
      expect(error.message).toMatch(/^missing or wrong CSRF token/);
    }
    const good = clientWith(api.url, { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken });
    expect(await good.models.create.mutate({ name: 'from-session', kind: 'http', url: 'http://127.0.0.1:9' })).toMatchObject({ name: 'from-session', createdBy: 'ada@example.com' });
  });

  it('signs out: CSRF required, then the cookie is cleared and signs no one in', async () => {
    const browser = await signIn(api.url, 'ada@example.com', PASSWORD);
    const refused = await postJson(api.url, '/api/auth/sign-out', {}, { cookie: browser.cookie });
    expect(refused.status).toBe(403);
    const out = await postJson(api.url, '/api/auth/sign-out', {}, { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()).toEqual(['sluice_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0']);
    const after = await answer(await fetch(`${api.url}/api/auth/session`, { headers: { cookie: browser.cookie } }));
    expect(after).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'your session has expired or was signed out: sign in again' } } });
    expect((await failureOf(clientWith(api.url, { cookie: browser.cookie }).models.list.query())).data?.code).toBe('UNAUTHORIZED');
  });

  it('refuses an expired session', async () => {
    const browser = await signIn(api.url, 'ada@example.com', PASSWORD);
    await api.core.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    const error = await failureOf(clientWith(api.url, { cookie: browser.cookie }).models.list.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(error.message).toBe('your session has expired or was signed out: sign in again');
  });

  it('slides: a session used after a minute lasts another 12 hours from then', async () => {
    const browser = await signIn(api.url, 'ada@example.com', PASSWORD);
    const token = decodeURIComponent(browser.cookie.split('=')[1]!);
    const { sha256Hex } = await import('@sluice/core');
    const earlier = new Date(Date.now() - 3_600_000);
    await api.core.db.update(sessions).set({ lastSeenAt: earlier, expiresAt: new Date(earlier.getTime() + 12 * 3_600_000) }).where(eq(sessions.tokenHash, sha256Hex(token)));
    await clientWith(api.url, { cookie: browser.cookie }).models.list.query();
    const [row] = await api.core.db.select().from(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 11.9 * 3_600_000);
  });

  it("switches to another of the user's teams, acting there with that team's role, and refuses a team they are not in", async () => {
    const browser = await signIn(api.url, 'ada@example.com', PASSWORD);
    const headers = { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken };
    const switched = await answer(await postJson(api.url, '/api/auth/team', { team: 'ops' }, headers));
    expect(switched).toMatchObject({ status: 200, body: { team: 'ops', role: 'viewer', csrfToken: browser.csrfToken } });
    const client = clientWith(api.url, headers);
    expect(await client.models.list.query()).toEqual([]);
    expect((await failureOf(client.models.create.mutate({ name: 'viewer-cannot', kind: 'http', url: 'http://127.0.0.1:9' }))).data?.code).toBe('FORBIDDEN');
    const stranger = await answer(await postJson(api.url, '/api/auth/team', { team: 'elsewhere' }, headers));
    expect(stranger).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: "you are not a member of team 'elsewhere'; your teams are listed by GET /api/auth/session" } } });
    const noCsrf = await postJson(api.url, '/api/auth/team', { team: 'research' }, { cookie: browser.cookie });
    expect(noCsrf.status).toBe(403);
  });

  it('makes cookies Secure when SLUICE_PUBLIC_URL is https', async () => {
    const server = await startApiServer({ core: api.core, port: 0, auth: { ...api.core.settings.auth, publicUrl: 'https://sluice.example.com' } });
    try {
      expect((await signIn(server.url, 'ada@example.com', PASSWORD)).setCookie).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    } finally {
      await server.close();
    }
  });
});

describe('rate limits on sign-in', () => {
  let limited: RunningApiServer;
  const settings = (limit: Partial<AuthSettings['signInLimit']>): AuthSettings => ({ ...api.core.settings.auth, signInLimit: { ...DEFAULT_AUTH_SETTINGS.signInLimit, ...limit } });

  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 with Retry-After once an email has failed too often, even with the right password; other emails go on', async () => {
    await createUser(api.core, { email: 'grace@example.com', team: 'research', role: 'member', password: PASSWORD });
    limited = await startApiServer({ core: api.core, port: 0, auth: settings({ perEmail: 3, perIp: 1000 }) });
    for (let i = 0; i < 3; i++) expect((await postJson(limited.url, '/api/auth/sign-in', { email: 'grace@example.com', password: `guess ${i}` })).status).toBe(401);
    const blocked = await postJson(limited.url, '/api/auth/sign-in', { email: 'grace@example.com', password: PASSWORD });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await blocked.json()).toEqual({ error: { code: 'TOO_MANY_REQUESTS', message: 'too many failed sign-ins; try again in 15 min' } });
    expect((await postJson(limited.url, '/api/auth/sign-in', { email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
    await limited.close();
  });

  it('lets no more guesses through than the limit when they all come at once', async () => {
    await createUser(api.core, { email: 'burst@example.com', team: 'research', role: 'member', password: PASSWORD });
    limited = await startApiServer({ core: api.core, port: 0, auth: settings({ perEmail: 3, perIp: 1000 }) });
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => postJson(limited.url, '/api/auth/sign-in', { email: 'burst@example.com', password: `guess ${i}` }).then((r) => r.status)));
    // Each password check takes argon2's time: checking first and counting after let a whole burst through.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    await limited.close();
  });

  it('answers 429 once one address has failed too often, whatever the email', async () => {
    limited = await startApiServer({ core: api.core, port: 0, auth: settings({ perEmail: 1000, perIp: 4 }) });
    // Earlier tests failed from this address too: count what is left of the allowance.
    let failures = 0;
    for (; failures < 10; failures++) {
      const response = await postJson(limited.url, '/api/auth/sign-in', { email: `someone-${failures}@example.com`, password: 'guess' });
      if (response.status === 429) break;
      expect(response.status).toBe(401);
    }
    expect(failures).toBeLessThanOrEqual(4);
    expect((await postJson(limited.url, '/api/auth/sign-in', { email: 'ada@example.com', password: PASSWORD })).status).toBe(429);
  });
});

describe('local mode', () => {
  let local: Awaited<ReturnType<typeof startTestApi>>;
  beforeAll(async () => {
    local = await startTestApi();
    await createUser(local.core, { email: 'lin@example.com', team: 'default', role: 'member', password: PASSWORD });
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('acts as the local admin without credentials', async () => {
    expect(await answer(await fetch(`${local.url}/api/auth/session`))).toEqual({
      status: 200,
      body: { user: { email: 'local', name: 'Local admin' }, team: 'default', role: 'admin', teams: [{ name: 'default', role: 'admin' }], csrfToken: '', mode: 'local' },
    });
    expect(await local.client.models.create.mutate({ name: 'local-model', kind: 'http', url: 'http://127.0.0.1:9' })).toMatchObject({ createdBy: 'local' });
  });

  it('still checks credentials that are sent: a bad token is refused, a session acts as its user', async () => {
    const error = await failureOf(tokenClient(local.url, 'slt_not-a-real-token').models.list.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(error.message).toMatch(/^SLUICE_TOKEN is invalid \(no such token\): create one with `sluice tokens create --email/);
    const browser = await signIn(local.url, 'lin@example.com', PASSWORD);
    const created = await clientWith(local.url, { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken }).models.create.mutate({ name: 'lins-model', kind: 'http', url: 'http://127.0.0.1:9' });
    expect(created.createdBy).toBe('lin@example.com');
  });

  it("ignores a session cookie it does not know (another local Sluice's on the same host) and acts as the local admin", async () => {
    const stale = { cookie: 'sluice_session=cookie-of-another-instance' };
    expect(await answer(await fetch(`${local.url}/api/auth/session`, { headers: stale }))).toMatchObject({ status: 200, body: { user: { email: 'local' }, role: 'admin' } });
    expect(await clientWith(local.url, stale).models.create.mutate({ name: 'despite-stale-cookie', kind: 'http', url: 'http://127.0.0.1:9' })).toMatchObject({ createdBy: 'local' });
  });

  it('answers as the local admin only to requests addressed to this machine (no DNS rebinding)', async () => {
    const { port } = new URL(local.url);
    // fetch will not send a Host of our choosing; node:http does, as a rebound browser would.
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject).end();
      });
    // A rebinding page's requests name its own host in Host and Origin alike.
    const rebound = { host: `rebind.evil.example:${port}`, origin: `http://rebind.evil.example:${port}`, 'sec-fetch-site': 'same-origin' };
    const read = await get('/api/trpc/models.list', rebound);
    expect(read.status).toBe(403);
    expect(read.body).toContain(`local mode answers only requests addressed to this machine (localhost, 127.0.0.1), not to 'rebind.evil.example:${port}': to serve Sluice under other names, set SLUICE_AUTH=required and sign in`);
    expect((await get('/api/auth/session', rebound)).status).toBe(403);
    expect(await get('/api/auth/session', { host: `localhost:${port}` })).toMatchObject({ status: 200 });
  });

  it('refuses a cross-site browser mutation without credentials, and lets same-origin ones and reads through', async () => {
    const create = (headers: Record<string, string>, name: string) => clientWith(local.url, headers).models.create.mutate({ name, kind: 'http', url: 'http://127.0.0.1:9' });
    const host = new URL(local.url).host;
    const crossSite: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: `http://localhost:${new URL(local.url).port}` }];
    for (const headers of crossSite) {
      const error = await failureOf(create(headers, 'cross-site'));
      expect(error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
      expect(error.message).toMatch(/^cross-site request refused/);
    }
    expect(await create({ origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }, 'same-origin')).toMatchObject({ name: 'same-origin' });
    expect((await clientWith(local.url, { origin: 'http://evil.example' }).models.list.query()).map((m) => m.name)).toContain('same-origin');
  });
});
