// #13 (critical): local mode signs a request in as the local admin. It trusted the Host header to
// tell a request from this machine, so another machine sending `Host: localhost` became the admin
// (read any file through jobs.previewInput, ran code through a command model). Now the socket's
// peer address decides, and the client address for sign-in limits is the socket's unless a
// trusted proxy (SLUICE_TRUSTED_PROXIES) forwarded the request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, requiredAuthSettings } from '@sluice/api/test-support';
import { DEFAULT_AUTH_SETTINGS } from '@sluice/core';
import { apiClient, startTestApi, type TestApi } from '@sluice/api/test-support';
import { otherAddressOfThisMachine, portOf, rawRequest } from './support.js';

const LIST_JOBS = '/api/trpc/jobs.list';

describe('local mode answers only connections from this machine', () => {
  let api: TestApi;
  let other: string;

  beforeAll(async () => {
    other = otherAddressOfThisMachine();
    // Listening on every interface, as `next start` did by default: the request check must hold alone.
    api = await startTestApi({ host: '0.0.0.0' });
  });
  afterAll(() => api?.stop());

  it('refuses another machine that claims to be localhost in its Host header', async () => {
    const port = portOf(api.url);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const answer = await rawRequest(other, port, { path: LIST_JOBS, headers: { host } });
      expect(answer.status, `Host: ${host}`).toBe(403);
      expect(answer.body).toContain(`local mode answers only clients on this machine, and this request came from ${other}`);
    }
  });

  it('refuses it on the sign-in routes and for mutations too', async () => {
    const port = portOf(api.url);
    const session = await rawRequest(other, port, { path: '/api/auth/session', headers: { host: `localhost:${port}` } });
    expect(session.status).toBe(403);
    const create = await rawRequest(other, port, {
      method: 'POST',
      path: '/api/trpc/models.create',
      headers: { host: `localhost:${port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { name: 'evil', kind: 'command', command: 'cat /etc/shadow' } }),
    });
    expect(create.status).toBe(403);
    expect(JSON.stringify(await apiClient(`http://127.0.0.1:${port}`).models.list.query())).not.toContain('evil');
  });

  it('still answers a client on this machine', async () => {
    const answer = await rawRequest('127.0.0.1', portOf(api.url), { path: LIST_JOBS });
    expect(answer.status).toBe(200);
  });
});

describe('the client address for sign-in limits', () => {
  const perIp = 3;
  let plain: TestApi;
  let proxied: TestApi;

  beforeAll(async () => {
    const signInLimit = { ...DEFAULT_AUTH_SETTINGS.signInLimit, perIp, perEmail: 100 };
    [plain, proxied] = await Promise.all([
      startTestApi({ settings: requiredAuthSettings({ auth: { signInLimit } }) }),
      startTestApi({ settings: requiredAuthSettings({ auth: { signInLimit, trustedProxies: ['127.0.0.1'] } }) }),
    ]);
    await Promise.all([makeUser(plain.core, 'victim@example.com', 'team-a', 'member'), makeUser(proxied.core, 'victim@example.com', 'team-a', 'member')]);
  });
  afterAll(() => Promise.all([plain?.stop(), proxied?.stop()]));

  const failSignIn = (api: TestApi, forwardedFor: string, n: number) =>
    rawRequest('127.0.0.1', portOf(api.url), {
      method: 'POST',
      path: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email: `guess-${n}@example.com`, password: 'wrong password' }),
    });

  it('is the socket, whatever X-Forwarded-For says, when no proxy is trusted', async () => {
    const statuses = [];
    for (let n = 0; n < perIp + 2; n++) statuses.push((await failSignIn(plain, `203.0.113.${n + 1}`, n)).status);
    // A fresh X-Forwarded-For each time does not buy fresh attempts: the address is the socket's.
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it("is the trusted proxy's X-Forwarded-For entry when the peer is a trusted proxy", async () => {
    const statuses = [];
    for (let n = 0; n < perIp + 1; n++) statuses.push((await failSignIn(proxied, `spoofed-by-client, 203.0.113.${n + 1}`, n)).status);
    // Each attempt came from another client behind the proxy: none reached its address's limit.
    expect(statuses).toEqual([401, 401, 401, 401]);
    // The same client again and again is limited, whatever it writes to the left of the proxy's entry.
    const same = [];
    for (let n = 0; n < perIp + 1; n++) same.push((await failSignIn(proxied, `198.51.100.${n}, 203.0.113.99`, 10 + n)).status);
    expect(same).toEqual([401, 401, 401, 429]);
  });
});
