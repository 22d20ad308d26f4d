import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { models } from '@sluice/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import { openPage, screenshot, startDashboard, waitForStatus, writeInput } from './dashboard-harness.js';

let dash: Awaited<ReturnType<typeof startDashboard>>;
let upper: RunningModelServer;
let slow: RunningModelServer;

beforeAll(async () => {
  // A key for sealing secret model env values, as an operator sets SLUICE_SECRET_KEY.
  dash = await startDashboard({ SLUICE_SECRET_KEY: 'a-test-key-of-at-least-32-characters!!' });
  [upper, slow] = await Promise.all([startModelServer('upper'), startModelServer('latency', { FIXED_LATENCY_MS: '500' })]);
});

afterAll(async () => {
  await Promise.all([upper?.stop(), slow?.stop()]);
  await dash?.stop();
});

describe('the models pages', () => {
  it('says there are no models before any is registered', async () => {
    const page = await openPage(dash.browser, `${dash.url}/models`);
    await expect.poll(() => page.getByText('No models yet').count()).toBe(1);
    await page.close();
  });

  it('shows the server’s message beside the URL field when the URL is bad', async () => {
    const page = await openPage(dash.browser, `${dash.url}/models`);
    await page.getByLabel('Name', { exact: true }).fill('broken');
    await page.getByLabel('URL').fill('not a url');
    await page.getByRole('button', { name: 'Register model' }).click();
    const urlField = page.locator('[data-field="URL"]');
    await expect.poll(() => urlField.locator('[data-field-error]').textContent()).toMatch(/http:\/\/ or https:\/\/ URL/);
    expect(await page.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-field="Name"] [data-field-error]').count()).toBe(0);
    expect((await dash.api.models.list()).map((m) => m.name)).not.toContain('broken');
    await page.close();
  });

  it('registers an http model from the form, by keyboard, and lists it', async () => {
    const page = await openPage(dash.browser, `${dash.url}/models`);
    await page.getByLabel('Name', { exact: true }).fill('upper-web');
    await page.keyboard.press('Tab');
    // Kind is next in tab order and http is chosen already; Tab on to the URL.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await page.keyboard.press('Tab');
    await page.keyboard.type(upper.url);
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Variable 1 name').fill('GREETING');
    await page.getByLabel('Variable 1 value').fill('hi');
    await page.getByLabel('URL').press('Enter');
    const row = page.locator('tr[data-model="upper-web"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-col="kind"]').textContent()).toBe('http');
    expect(await row.locator('[data-col="target"]').textContent()).toBe(upper.url);
    expect((await dash.api.models.get({ name: 'upper-web' })).env).toEqual({ GREETING: 'hi' });
    await screenshot(page, 'models');
    await page.close();
  });

  it('registers a secret variable that is stored sealed and only ever shown masked', async () => {
    const page = await openPage(dash.browser, `${dash.url}/models`);
    await page.getByLabel('Name', { exact: true }).fill('with-secret');
    await page.getByLabel('Kind').selectOption('command');
    await page.getByLabel('Command').fill('node server.js');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Variable 1 name').fill('MODE');
    await page.getByLabel('Variable 1 value').fill('fast');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Variable 2 name').fill('API_KEY');
    await page.getByLabel('Variable 2 is secret').check();
    expect(await page.getByLabel('Variable 2 value').getAttribute('type')).toBe('password');
    await page.getByLabel('Variable 2 value').fill('s3cr3t-value-42');
    await page.getByRole('button', { name: 'Register model' }).click();
    await expect.poll(() => page.locator('tr[data-model="with-secret"]').count()).toBe(1);
    const model = await dash.api.models.get({ name: 'with-secret' });
    expect([model.env, model.secretEnv]).toEqual([{ MODE: 'fast' }, { API_KEY: '••••' }]);
    const [row] = await dash.core.db.select({ secretEnv: models.secretEnv }).from(models).where(eq(models.name, 'with-secret'));
    expect(row!.secretEnv.API_KEY).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain('s3cr3t-value-42');

    await page.goto(`${dash.url}/models/with-secret`);
    const env = page.locator('[data-detail="Environment"]');
    await expect.poll(() => env.textContent()).toContain('API_KEY=••••');
    expect(await env.textContent()).toContain('MODE=fast');
    expect(await page.content()).not.toContain('s3cr3t-value-42');
    await page.close();
  });

  it('shows a model with the jobs that used it', async () => {
    const input = await writeInput(join(dash.files, 'used-upper', 'in'), 'part-1.txt', ['a', 'b']);
    await dash.api.jobs.create({ name: 'used-upper', modelName: 'upper-web', input: { uri: input }, output: { uri: input.replace(/in\/$/, 'out/') }, transform: { splitType: 'Line' } });
    await waitForStatus(dash.api, 'used-upper', ['Completed']);
    const page = await openPage(dash.browser, `${dash.url}/models`);
    await page.locator('tr[data-model="upper-web"]').getByRole('link', { name: 'upper-web' }).click();
    await page.waitForURL(/\/models\/upper-web$/);
    await expect.poll(() => page.locator('[data-detail="URL"]').textContent()).toBe(upper.url);
    const job = page.locator('li[data-job="used-upper"]');
    await expect.poll(() => job.count()).toBe(1);
    expect(await job.locator('[data-status]').textContent()).toBe('Completed');
    expect(await job.getByRole('link').getAttribute('href')).toBe('/jobs/used-upper');
    await screenshot(page, 'model-detail');
    await page.close();
  });

  it('tests a live model with a ping, and says why a stopped one is not healthy', async () => {
    const stopped = await startModelServer('echo');
    await dash.api.models.create({ name: 'stopped-web', kind: 'http', url: stopped.url });
    await stopped.stop();
    const page = await openPage(dash.browser, `${dash.url}/models/upper-web`);
    await page.getByRole('button', { name: 'Test ping' }).click();
    await expect.poll(() => page.locator('[data-ping]').textContent()).toMatch(/^Healthy: \/ping answered 200 in \d+ ms$/);
    await page.goto(`${dash.url}/models/stopped-web`);
    await page.getByRole('button', { name: 'Test ping' }).click();
    await expect.poll(() => page.locator('[data-ping="failed"]').textContent()).toContain(`Not healthy: GET ${stopped.url}/ping got no answer`);
    await screenshot(page, 'model-ping-failed');
    await page.close();
  });

  it('refuses to delete a model a running job uses, with a readable message', async () => {
    await dash.api.models.create({ name: 'slow-web', kind: 'http', url: slow.url });
    const input = await writeInput(join(dash.files, 'slow-run', 'in'), 'part-1.txt', Array.from({ length: 40 }, (_, i) => `r${i}`));
    await dash.api.jobs.create({ name: 'slow-run', modelName: 'slow-web', input: { uri: input }, output: { uri: input.replace(/in\/$/, 'out/') }, transform: { splitType: 'Line', batchStrategy: 'SingleRecord' } });
    await waitForStatus(dash.api, 'slow-run', ['InProgress']);
    const page = await openPage(dash.browser, `${dash.url}/models/slow-web`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete model' }).click();
    const alert = page.locator('main [role="alert"]');
    await expect.poll(() => alert.textContent()).toMatch(/Cannot delete: .*running job 'slow-run'/);
    expect(await alert.textContent()).not.toMatch(/at \w+ \(|\.ts:\d+/);
    expect(page.url()).toMatch(/\/models\/slow-web$/);
    await dash.api.jobs.stop({ name: 'slow-run' });
    await page.close();
  });

  it('deletes a model after asking, and it leaves the list', async () => {
    const page = await openPage(dash.browser, `${dash.url}/models/upper-web`);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByText('Delete upper-web?').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Delete model' }).click();
    await page.waitForURL(/\/models$/);
    await expect.poll(() => page.locator('tr[data-model="upper-web"]').count()).toBe(0);
    expect((await dash.api.models.list()).map((m) => m.name)).not.toContain('upper-web');
    await page.close();
  });
});

describe('the workers page', () => {
  it('shows the in-process worker alive under its pool', async () => {
    const page = await openPage(dash.browser, `${dash.url}/workers`);
    const table = page.locator('table[data-pool="default"]');
    await expect.poll(() => table.locator('tr[data-worker]').count()).toBe(1);
    const row = table.locator('tr[data-worker]');
    expect(await row.locator('[data-col="alive"]').textContent()).toMatch(/^Alive · beat \d+ ?(ms|s) ago$/);
    expect(await row.locator('[data-col="slots"]').textContent()).toMatch(/^\d+ \/ 2$/);
    expect(await page.getByRole('heading', { name: 'Pool default' }).count()).toBe(1);
    // It refreshes on its own: the heartbeat age moves without a reload.
    const before = await row.locator('[data-col="alive"]').getAttribute('title');
    await expect.poll(() => row.locator('[data-col="alive"]').getAttribute('title'), { timeout: 8_000 }).not.toBe(before);
    await screenshot(page, 'workers');
    await page.close();
  });
});
