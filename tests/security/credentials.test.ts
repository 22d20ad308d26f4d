// #13 (medium): what ends a credential. Sessions slid forward for ever while used (a stolen cookie
// kept busy never died); setting a user's password left their sessions and tokens working; and a
// user could not change their own password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWith, makeUser, postJson, requiredAuthSettings, signIn, startTestApi, type TestApi, type TestUser } from '@sluice/api/test-support';
import { createAccessKeyForUser, DEFAULT_AUTH_SETTINGS, findAccessKey, findSession, setUserPassword } from '@sluice/core';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ settings: requiredAuthSettings() });
});
afterAll(() => api?.stop());

/** Whether a tRPC call with these headers is answered (200) or refused (401). */
const status = async (headers: Record<string, string>) => (await fetch(`${api.url}/api/trpc/models.list`, { headers })).status;
const asSession = (browser: { cookie: string }) => ({ cookie: browser.cookie });
const asToken = (token: string) => ({ authorization: `Bearer ${token}` });

describe('a session', () => {
  it('ends sessionMaxHours after sign-in however often it is used', async () => {
    const user = await makeUser(api.core, 'busy@example.com', 'team-a', 'member');
    const browser = await signIn(api.url, user.email, user.password);
    const token = browser.cookie.split('=')[1]!;
    const settings = { ...DEFAULT_AUTH_SETTINGS, mode: 'required' as const };
    const start = Date.now();
    // Used every 11 hours, so the sliding 12 hours never run out.
    let hours = 0;
    for (; hours < 24 * 8; hours += 11) {
      const found = await findSession(api.core, token, settings, { now: new Date(start + hours * 3_600_000) });
      if (typeof found === 'string') break;
    }
    expect(hours).toBeGreaterThanOrEqual(settings.sessionMaxHours - 11);
    expect(hours).toBeLessThanOrEqual(settings.sessionMaxHours + 11);
    expect(await findSession(api.core, token, settings, { now: new Date(start + 1000) })).toBe('unknown');
  });
});

describe('a new password', () => {
  let user: TestUser;

  beforeAll(async () => {
    user = await makeUser(api.core, 'victim@example.com', 'team-a', 'admin');
  });

  it("set by the operator ends the user's sessions and revokes their tokens and access keys", async () => {
    const browser = await signIn(api.url, user.email, user.password);
    const key = await createAccessKeyForUser(api.core, { email: user.email, team: 'team-a' });
    expect(await status(asSession(browser))).toBe(200);
    expect(await status(asToken(user.token))).toBe(200);

    const ended = await setUserPassword(api.core, { email: user.email, password: 'a brand new password' });
    expect(ended).toEqual({ sessions: 1, tokens: 1, keys: 1 });
    expect(await status(asSession(browser))).toBe(401);
    expect(await status(asToken(user.token))).toBe(401);
    expect((await findAccessKey(api.core, key.accessKeyId))?.revoked).toBe(true);
    user = { ...user, password: 'a brand new password' };
  });

  it('can be chosen by the user, with the current one, from a session only; their other sessions and tokens end', async () => {
    const here = await signIn(api.url, user.email, user.password);
    const elsewhere = await signIn(api.url, user.email, user.password);
    const token = (await clientWith(api.url, { cookie: here.cookie, 'x-sluice-csrf': here.csrfToken }).account.tokens.create.mutate({ name: 'laptop' })).token;
    const change = (body: object, headers: Record<string, string>) => postJson(api.url, '/api/auth/password', body, headers);
    const mine = { cookie: here.cookie, 'x-sluice-csrf': here.csrfToken };

    const wrong = await change({ currentPassword: 'not it at all', newPassword: 'my own new password' }, mine);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('the current password is wrong');
    const byToken = await change({ currentPassword: user.password, newPassword: 'my own new password' }, asToken(token));
    expect(byToken.status).toBe(403);
    const noCsrf = await change({ currentPassword: user.password, newPassword: 'my own new password' }, { cookie: here.cookie });
    expect(noCsrf.status).toBe(403);

    const changed = await change({ currentPassword: user.password, newPassword: 'my own new password' }, mine);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ changed: true, ended: { sessions: 1, tokens: 1, keys: 0 } });
    expect(await status(asSession(here))).toBe(200);
    expect(await status(asSession(elsewhere))).toBe(401);
    expect(await status(asToken(token))).toBe(401);
    expect((await postJson(api.url, '/api/auth/sign-in', { email: user.email, password: user.password })).status).toBe(401);
    expect((await postJson(api.url, '/api/auth/sign-in', { email: user.email, password: 'my own new password' })).status).toBe(200);
  });
});
