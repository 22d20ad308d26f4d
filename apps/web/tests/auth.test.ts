import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createCallerFactory } from '@sluice/api';
import { actorInTeam, audit, createUser, findUserByEmail, listUsers, setUserPassword } from '@sluice/core';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import { openPage, screenshot, startDashboard, startDashboardWithAuth, waitForStatus, writeInput } from './dashboard-harness.js';

const PASSWORD = 'correct horse battery staple';
const ADMIN = 'ada@example.com';
const VIEWER = 'vic@example.com';

let dash: Awaited<ReturnType<typeof startDashboardWithAuth>>;
let model: RunningModelServer;
const createCaller = createCallerFactory(appRouter);

/** A tRPC caller acting as `email` in `team`, as a signed-in request would. */
async function callerAs(email: string, team: string) {
  const user = await findUserByEmail(dash.core, email);
  const actor = user && (await actorInTeam(dash.core, user, team));
  if (!actor) throw new Error(`${email} is not a member of ${team}`);
  return createCaller({ core: dash.core, actor });
}

/** A completed Line job in `team`, created by `email`. */
async function jobIn(team: string, email: string, name: string) {
  const api = await callerAs(email, team);
  const input = await writeInput(join(dash.files, name, 'in'), 'part-1.txt', ['a', 'b']);
  await api.jobs.create({ name, modelName: 'upper', input: { uri: input }, output: { uri: input.replace(/in\/$/, 'out/') }, transform: { splitType: 'Line' } });
  await waitForStatus(api, name, ['Completed']);
}

beforeAll(async () => {
  dash = await startDashboardWithAuth();
  model = await startModelServer('upper');
  // Ada administers alpha (her first team: a sign-in lands there) and is a member of beta.
  await createUser(dash.core, { email: ADMIN, name: 'Ada', team: 'alpha', role: 'admin', password: PASSWORD });
  await createUser(dash.core, { email: ADMIN, team: 'beta', role: 'member' });
  await createUser(dash.core, { email: VIEWER, team: 'alpha', role: 'viewer', password: PASSWORD });
  for (const team of ['alpha', 'beta']) await (await callerAs(ADMIN, team)).models.create({ name: 'upper', kind: 'http', url: model.url });
  await jobIn('alpha', ADMIN, 'alpha-job');
  await jobIn('beta', ADMIN, 'beta-job');
});

afterAll(async () => {
  await model?.stop();
  await dash?.stop();
});

/** A new page with no session (the browser profile's cookies cleared). */
async function signedOutPage(path: string): Promise<Page> {
  await dash.browser.clearCookies();
  return openPage(dash.browser, `${dash.url}${path}`);
}

async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in through the form and waits for `path`. */
async function signedInPage(email: string, path = '/jobs'): Promise<Page> {
  const page = await signedOutPage(`/sign-in?next=${encodeURIComponent(path)}`);
  await fillSignIn(page, email, PASSWORD);
  await page.waitForURL((url) => url.pathname === path);
  await expect.poll(() => page.locator('[data-nav="email"]').textContent()).toBe(email);
  return page;
}

async function sessionCookie(): Promise<string> {
  const cookie = (await dash.browser.cookies(dash.url)).find((c) => c.name === 'sluice_session');
  if (!cookie) throw new Error('no sluice_session cookie in the browser');
  return `${cookie.name}=${cookie.value}`;
}

/** GET a tRPC query over HTTP as any client would (superjson's envelope). */
async function trpcGet(path: string, input: unknown, headers: Record<string, string>) {
  const response = await fetch(`${dash.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string } } } };
  return { status: response.status, data: body.result?.data.json, error: body.error?.json };
}

describe('signing in', () => {
  it('sends a visitor to the sign-in page, and on to the page they asked for with their email in the nav', async () => {
    const page = await signedOutPage('/models');
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/models');
    await screenshot(page, 'sign-in');
    await fillSignIn(page, ADMIN, PASSWORD);
    await page.waitForURL((url) => url.pathname === '/models');
    await expect.poll(() => page.locator('[data-nav="email"]').textContent()).toBe(ADMIN);
    expect(await page.locator('[data-nav="role"]').textContent()).toBe('admin');
    expect(await page.locator('[data-nav="team"]').textContent()).toBe('alpha');
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const row = page.locator('tr[data-job="alpha-job"]');
    await expect.poll(() => row.count()).toBe(1);
    // The job history says who ran what: the creator's email.
    expect(await row.locator('td').nth(4).textContent()).toBe(ADMIN);
    await screenshot(page, 'jobs-signed-in');
    await page.close();
  });

  it('says the email or password is wrong, and keeps the visitor on the sign-in page', async () => {
    const page = await signedOutPage('/sign-in');
    await fillSignIn(page, ADMIN, 'not the password at all');
    const alert = page.locator('[data-sign-in-error]');
    await expect.poll(() => alert.textContent()).toBe('wrong email or password');
    // The same words for an email no one has: the page does not tell who has an account.
    await fillSignIn(page, 'nobody@example.com', PASSWORD);
    await expect.poll(() => alert.textContent()).toBe('wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await dash.browser.cookies(dash.url)).some((c) => c.name === 'sluice_session')).toBe(false);
    await screenshot(page, 'sign-in-wrong-password');
    await page.close();
  });

  it('says why a sign-in with the identity provider failed when it sends the visitor back', async () => {
    const page = await signedOutPage(`/sign-in?error=${encodeURIComponent('OIDC sign-in failed: the state does not match')}`);
    await expect.poll(() => page.locator('[data-sign-in-error]').textContent()).toBe('OIDC sign-in failed: the state does not match');
    // No identity provider is configured here: only the password form.
    expect(await page.getByRole('link', { name: /^Sign in with/ }).count()).toBe(0);
    await page.close();
  });

  it('tells someone who failed too often how long to wait', async () => {
    const email = 'locked@example.com';
    await createUser(dash.core, { email, team: 'alpha', role: 'member', password: PASSWORD });
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${dash.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'wrong password!' }) });
      expect(response.status).toBe(401);
    }
    const page = await signedOutPage('/sign-in');
    // Even the right password waits now.
    await fillSignIn(page, email, PASSWORD);
    await expect.poll(() => page.locator('[data-sign-in-error]').textContent()).toMatch(/^too many failed sign-ins; try again in \d+ min/);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });
});

describe('roles', () => {
  it('shows a viewer no New job, Stop, Clone or Register, and the API refuses their create', async () => {
    const page = await signedInPage(VIEWER);
    expect(await page.locator('[data-nav="role"]').textContent()).toBe('viewer');
    await expect.poll(() => page.locator('tr[data-job="alpha-job"]').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'New job' }).count()).toBe(0);
    await page.goto(`${dash.url}/jobs/alpha-job`);
    await expect.poll(() => page.getByRole('heading', { name: 'alpha-job' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Clone' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry failed' }).count()).toBe(0);
    await page.goto(`${dash.url}/models`);
    await expect.poll(() => page.locator('[data-read-only]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Register model' }).count()).toBe(0);
    await page.goto(`${dash.url}/models/upper`);
    await expect.poll(() => page.getByRole('button', { name: 'Test ping' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    // What the hidden button would have done, sent from the viewer's own session (cookie and CSRF token).
    const refused = await page.evaluate(async () => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const response = await fetch('/api/trpc/jobs.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sluice-csrf': session.csrfToken },
        body: JSON.stringify({ json: { name: 'viewer-job', modelName: 'upper', input: { uri: 'file:///tmp/x/' }, output: { uri: 'file:///tmp/y/' } } }),
      });
      return { status: response.status, body: (await response.json()) as { error: { json: { message: string; data: { code: string } } } } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.json.data.code).toBe('FORBIDDEN');
    expect(refused.body.error.json.message).toMatch(/viewer/);
    expect((await (await callerAs(ADMIN, 'alpha')).jobs.list({})).items.map((j) => j.name)).not.toContain('viewer-job');
    await screenshot(page, 'models-viewer');
    await page.close();
  });
});

describe('teams', () => {
  it('switches team from the nav bar and shows only that team’s jobs', async () => {
    const page = await signedInPage(ADMIN);
    await expect.poll(() => page.locator('tr[data-job="alpha-job"]').count()).toBe(1);
    expect(await page.locator('tr[data-job="beta-job"]').count()).toBe(0);
    await page.getByLabel('Team').selectOption('beta');
    await expect.poll(() => page.locator('tr[data-job="beta-job"]').count()).toBe(1);
    expect(await page.locator('tr[data-job="alpha-job"]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-nav="team"]').textContent()).toBe('beta');
    expect(await page.locator('[data-nav="role"]').textContent()).toBe('member');
    // A member is not offered the team's administration.
    await page.locator('[data-user-menu]').click();
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await screenshot(page, 'jobs-team-beta');
    // The switch is the session's: a reload stays in beta.
    await page.reload();
    await expect.poll(() => page.locator('tr[data-job="beta-job"]').count()).toBe(1);
    expect(await page.locator('tr[data-job="alpha-job"]').count()).toBe(0);
    await page.getByLabel('Team').selectOption('alpha');
    await expect.poll(() => page.locator('tr[data-job="alpha-job"]').count()).toBe(1);
    await page.close();
  });
});

describe('API tokens', () => {
  it('shows a new token once, lists it by prefix, lets the SDK’s requests through until it is revoked', async () => {
    const page = await signedInPage(ADMIN, '/settings/tokens');
    await page.getByLabel('Token name').fill('laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    const reveal = page.locator('[data-secret-reveal]');
    await expect.poll(() => reveal.count()).toBe(1);
    expect(await reveal.textContent()).toContain('it will not be shown again');
    const token = await reveal.getByLabel('Token', { exact: true }).inputValue();
    expect(token).toMatch(/^slt_[A-Za-z0-9_-]{40,}$/);
    expect(await reveal.getByLabel('Shell', { exact: true }).inputValue()).toBe(`export SLUICE_TOKEN=${token}`);
    await screenshot(page, 'token-created');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => reveal.count()).toBe(0);
    expect(await page.content()).not.toContain(token);

    const row = page.locator('tr[data-token]');
    await expect.poll(() => row.count()).toBe(1);
    const prefix = (await row.getAttribute('data-token'))!;
    expect(prefix.length).toBeGreaterThanOrEqual(8);
    expect(token.startsWith(prefix)).toBe(true);
    expect(await row.locator('[data-col="prefix"]').textContent()).toBe(`${prefix}…`);
    expect(await row.locator('[data-col="last-used"]').textContent()).toBe('never');

    // The token alone (no cookie) reads the team's jobs, as the SDK and CLI send it.
    const bearer = { authorization: `Bearer ${token}` };
    const listed = await trpcGet('jobs.list', {}, bearer);
    expect(listed.status).toBe(200);
    expect((listed.data as { items: Array<{ name: string }> }).items.map((j) => j.name)).toEqual(['alpha-job']);
    await page.reload();
    await expect.poll(() => page.locator('tr[data-token] [data-col="last-used"]').textContent()).not.toBe('never');

    await page.locator('tr[data-token]').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => page.locator('tr[data-token] [data-token-state]').getAttribute('data-token-state')).toBe('revoked');
    const refused = await trpcGet('jobs.list', {}, bearer);
    expect(refused.status).toBe(401);
    expect(refused.error?.data.code).toBe('UNAUTHORIZED');
    expect(refused.error?.message).toMatch(/revoked/);
    await screenshot(page, 'tokens');
    await page.close();
  });
});

describe('your own password', () => {
  it('is changed with the current one, saying what the change ended; a wrong current one is refused', async () => {
    await createUser(dash.core, { email: 'pat@example.com', team: 'alpha', role: 'member', password: PASSWORD });
    const page = await signedInPage('pat@example.com', '/settings/tokens');
    const fill = async (current: string, next: string) => {
      await page.getByLabel('Current password').fill(current);
      await page.getByLabel(/^New password \(/).fill(next);
      await page.getByLabel('New password again').fill(next);
      await page.getByRole('button', { name: 'Change password' }).click();
    };
    await fill('not my password', 'a new password for pat');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'The password was not changed' }).textContent()).toContain('the current password is wrong');
    await fill(PASSWORD, 'a new password for pat');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Password changed. Ended 0 other sessions, revoked 0 API tokens and 0 access keys.');
    // Still signed in here; the old password no longer signs in, the new one does.
    expect(await page.locator('[data-nav="email"]').textContent()).toBe('pat@example.com');
    const signIn = (password: string) => fetch(`${dash.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'pat@example.com', password }) });
    expect((await signIn(PASSWORD)).status).toBe(401);
    expect((await signIn('a new password for pat')).status).toBe(200);
    await screenshot(page, 'change-password');
    await page.close();
  });
});

describe('SageMaker API access keys', () => {
  it('shows a new key’s secret once, lists the key, and revokes it', async () => {
    const page = await signedInPage(VIEWER, '/settings/tokens');
    await page.getByRole('button', { name: 'Create access key' }).click();
    const reveal = page.locator('[data-secret-reveal]');
    await expect.poll(() => reveal.count()).toBe(1);
    const id = await reveal.getByLabel('Access key ID', { exact: true }).inputValue();
    const secret = await reveal.getByLabel('Secret access key', { exact: true }).inputValue();
    expect(id).toMatch(/^[A-Z0-9]{20}$/);
    expect(secret).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(await reveal.getByLabel('Environment', { exact: true }).inputValue()).toBe(`export AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=${secret}`);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(secret);
    const row = page.locator(`tr[data-access-key="${id}"]`);
    await expect.poll(() => row.locator('[data-token-state]').getAttribute('data-token-state')).toBe('active');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.locator('[data-token-state]').getAttribute('data-token-state')).toBe('revoked');
    const keys = await (await callerAs(VIEWER, 'alpha')).account.keys.list();
    expect(keys.map((k) => [k.accessKeyId, k.revokedAt !== null])).toEqual([[id, true]]);
    await page.close();
  });
});

describe('team administration', () => {
  it('lets an admin add a user and change their role', async () => {
    const page = await signedInPage(ADMIN, '/settings/users');
    await expect.poll(() => page.locator(`tr[data-user="${VIEWER}"] [data-col="role"]`).inputValue()).toBe('viewer');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByLabel('Name (optional)').fill('Grace');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.locator('tr[data-user="grace@example.com"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-col="role"]').inputValue()).toBe('viewer');

    await row.getByLabel('Role of grace@example.com').selectOption('member');
    await expect.poll(async () => (await listUsers(dash.core, { team: 'alpha' })).find((u) => u.email === 'grace@example.com')?.role).toBe('member');
    await page.reload();
    await expect.poll(() => page.locator('tr[data-user="grace@example.com"] [data-col="role"]').inputValue()).toBe('member');
    await screenshot(page, 'users');

    // The admin cannot choose the password (an account is shared by every team it joins); the
    // operator sets it, as `sluice users set-password` does, and the new user signs in with it.
    await setUserPassword(dash.core, { email: 'grace@example.com', password: 'a long first password' });
    const theirs = await signedOutPage('/sign-in');
    await fillSignIn(theirs, 'grace@example.com', 'a long first password');
    await theirs.waitForURL((url) => url.pathname === '/jobs');
    await expect.poll(() => theirs.locator('[data-nav="role"]').textContent()).toBe('member');
    await theirs.close();
    await page.close();
  });

  it('shows the audit log with the sign-ins and the token creation, filtered by action and actor', async () => {
    const page = await signedInPage(ADMIN, '/settings/audit');
    const rows = page.locator('tr[data-audit-action]');
    await expect.poll(() => page.locator('tr[data-audit-action="sign-in"]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('tr[data-audit-action="token.create"]').count()).toBe(1);
    expect(await page.locator('tr[data-audit-action="token.create"] [data-col="actor"]').textContent()).toBe(ADMIN);
    await screenshot(page, 'audit');

    await page.getByLabel('Action').selectOption('token.create');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-audit-action')))).toEqual(['token.create']);
    await page.getByLabel('Action').selectOption('sign-in');
    await page.getByLabel('Actor').fill(VIEWER);
    await expect.poll(() => rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.querySelector('[data-col="actor"]')?.textContent))])).toEqual([VIEWER]);
    await page.close();
  });

  it('pages through a long audit log', async () => {
    const actor = { user: ADMIN, team: 'alpha' };
    for (let i = 1; i <= 60; i++) await audit(dash.core, actor, 'model.delete', `old-model-${i}`);
    const page = await signedInPage(ADMIN, '/settings/audit');
    await page.getByLabel('Action').selectOption('model.delete');
    const targets = () => page.locator('tr[data-audit-action] [data-col="target"]').allTextContents();
    // Newest first, 50 to a page.
    const actions = () => page.locator('tr[data-audit-action]').evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-audit-action')))]);
    await expect.poll(actions).toEqual(['model.delete']);
    await expect.poll(targets).toEqual(Array.from({ length: 50 }, (_, i) => `old-model-${60 - i}`));
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(targets).toEqual(Array.from({ length: 10 }, (_, i) => `old-model-${10 - i}`));
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(async () => (await targets())[0]).toBe('old-model-60');
    await page.close();
  });
});

describe('signing out', () => {
  it('goes back to the sign-in page, and the old cookie no longer works', async () => {
    const page = await signedInPage(ADMIN);
    const cookie = await sessionCookie();
    expect((await fetch(`${dash.url}/api/auth/session`, { headers: { cookie } })).status).toBe(200);
    await page.locator('[data-user-menu]').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await expect.poll(() => page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(1);
    expect((await fetch(`${dash.url}/api/auth/session`, { headers: { cookie } })).status).toBe(401);
    expect((await trpcGet('jobs.list', {}, { cookie })).status).toBe(401);
    await page.goto(`${dash.url}/jobs`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.close();
  });

  it('sends someone whose session ended elsewhere to sign in again at their next request', async () => {
    const page = await signedInPage(ADMIN);
    await expect.poll(() => page.locator('tr[data-job="alpha-job"]').count()).toBe(1);
    // Signed out from another tab: the cookie is gone, this page does not know yet.
    const cookie = await sessionCookie();
    const csrf = ((await (await fetch(`${dash.url}/api/auth/session`, { headers: { cookie } })).json()) as { csrfToken: string }).csrfToken;
    expect((await fetch(`${dash.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, 'x-sluice-csrf': csrf } })).status).toBe(204);
    await page.getByRole('link', { name: 'Models', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/models');
    await page.close();
  });
});

describe('local mode', () => {
  let local: Awaited<ReturnType<typeof startDashboard>>;
  beforeAll(async () => {
    local = await startDashboard();
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('signs in the local admin without a form', async () => {
    const page = await openPage(local.browser, `${local.url}/sign-in?next=/models`);
    await page.waitForURL((url) => url.pathname === '/models');
    await expect.poll(() => page.locator('[data-nav="email"]').textContent()).toBe('local');
    expect(await page.locator('[data-nav="role"]').textContent()).toBe('admin');
    await page.locator('[data-user-menu]').click();
    // No session to end: no Sign out.
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API tokens and keys' }).count()).toBe(1);
    await screenshot(page, 'nav-local-admin');
    await page.getByRole('link', { name: 'API tokens and keys' }).click();
    await expect.poll(() => page.getByText('No tokens in local mode').count()).toBe(1);
    await page.close();
  });
});
