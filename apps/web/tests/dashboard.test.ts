import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import { openPage, screenshot, startDashboard, waitForStatus, writeInput } from './dashboard-harness.js';

let dash: Awaited<ReturnType<typeof startDashboard>>;
const models: RunningModelServer[] = [];

beforeAll(async () => {
  dash = await startDashboard();
  const [upper, slow, failing] = await Promise.all([startModelServer('upper'), startModelServer('latency', { FIXED_LATENCY_MS: '500' }), startModelServer('fail-on', { FAIL_MARKER: 'BAD' })]);
  models.push(upper, slow, failing);
  await dash.api.models.create({ name: 'upper', kind: 'http', url: upper.url });
  await dash.api.models.create({ name: 'slow', kind: 'http', url: slow.url });
  await dash.api.models.create({ name: 'picky', kind: 'http', url: failing.url });
});

afterAll(async () => {
  await Promise.all(models.map((m) => m.stop()));
  await dash?.stop();
});

/** Creates a Line job over `lines` and returns its name. */
async function createJob(name: string, modelName: string, lines: string[], transform: Record<string, unknown> = {}) {
  const input = await writeInput(join(dash.files, name, 'in'), 'part-1.txt', lines);
  await dash.api.jobs.create({ name, modelName, input: { uri: input }, output: { uri: `${input.replace(/in\/$/, '')}out/` }, transform: { splitType: 'Line', ...transform } });
  return name;
}

describe('the jobs page', () => {
  it('lists a completed job with its records, and filters it out by status', async () => {
    await createJob('greetings', 'upper', ['hello', 'world', 'three', 'four', 'five']);
    await waitForStatus(dash.api, 'greetings', ['Completed']);
    const page = await openPage(dash.browser, `${dash.url}/`);
    await page.waitForURL(/\/jobs$/);
    const row = page.locator('tr[data-job="greetings"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-status]').textContent()).toBe('Completed');
    expect(await row.locator('[data-col="records"]').textContent()).toBe('5');
    expect(await row.locator('td').nth(2).textContent()).toBe('upper');
    await screenshot(page, 'jobs');

    await page.getByLabel('Status').selectOption('Failed');
    await expect.poll(() => page.getByText('No jobs match these filters').count()).toBe(1);
    await page.getByLabel('Status').selectOption('Completed');
    await expect.poll(() => row.count()).toBe(1);
    await page.getByLabel('Search by name').fill('no-such-name');
    await expect.poll(() => row.count()).toBe(0);
    await page.close();
  });

  it('pages through jobs with Next and Previous', async () => {
    // Apart in time: see the report on cursors over creation times that share a millisecond.
    for (const n of [1, 2, 3, 4, 5]) {
      await createJob(`paged-${n}`, 'upper', [`line ${n}`]);
      await new Promise((r) => setTimeout(r, 20));
    }
    const page = await openPage(dash.browser, `${dash.url}/jobs?pageSize=2`);
    await expect.poll(() => page.locator('tr[data-job]').count()).toBe(2);
    const first = await page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')));
    expect(first).toEqual(['paged-5', 'paged-4']);
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')))).toEqual(['paged-3', 'paged-2']);
    await expect.poll(() => page.getByText('Page 2', { exact: true }).count()).toBe(1);
    await screenshot(page, 'jobs-page-2');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')))).toEqual(['paged-1', 'greetings']);
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')))).toEqual(['paged-3', 'paged-2']);
    await page.close();
  });

  it('sorts by a column header on the server: a second click reverses the order, and Next follows it', async () => {
    const page = await openPage(dash.browser, `${dash.url}/jobs?pageSize=2`);
    const names = () => page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')));
    const header = (name: string) => page.getByRole('columnheader', { name, exact: true });
    await expect.poll(names).toEqual(['paged-5', 'paged-4']);
    expect(await header('Created').getAttribute('aria-sort')).toBe('descending');

    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expect.poll(names).toEqual(['greetings', 'paged-1']);
    expect(await header('Name').getAttribute('aria-sort')).toBe('ascending');
    expect(await header('Created').getAttribute('aria-sort')).toBe('none');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(names).toEqual(['paged-2', 'paged-3']);

    // Another order starts again from the first page.
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expect.poll(names).toEqual(['paged-5', 'paged-4']);
    expect(await header('Name').getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByText('Page 1', { exact: true }).count()).toBe(1);
    await page.close();
  });
});

describe('the job page', () => {
  it('shows a completed job at 100% with its objects, output links, log and charts', async () => {
    await waitForStatus(dash.api, 'greetings', ['Completed']);
    const page = await openPage(dash.browser, `${dash.url}/jobs/greetings`);
    await expect.poll(() => page.getByTestId('progress-objects').textContent()).toBe('100%');
    const object = page.locator('tr[data-object="part-1.txt"]');
    await expect.poll(() => object.count()).toBe(1);
    expect(await object.getByRole('link', { name: 'output' }).getAttribute('href')).toMatch(/^file:\/\/.*\/greetings\/out\/part-1\.txt\.out$/);
    await expect.poll(() => page.locator('[role="log"] [data-level]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('figure[data-chart="Throughput"] svg .recharts-line').count()).toBe(1);
    expect(await page.locator('figure[data-chart="Invocation latency"] svg .recharts-line').count()).toBe(3);
    expect(await page.locator('figure[data-chart="Workers"] svg .recharts-line').count()).toBe(2);
    expect(await page.locator('figure[data-chart="Workers"] figcaption').textContent()).toMatch(/CPU peak [\d.]+% \(mean of workers\) · memory peak [\d.]+ [KMG]i?B \(all workers\)/);
    expect(await page.locator('figure[data-chart] svg path').count()).toBeGreaterThan(0);
    expect(await page.locator('figure[data-chart="Throughput"] svg .recharts-line-dot, figure[data-chart="Throughput"] svg path.recharts-curve').count()).toBeGreaterThan(0);
    await screenshot(page, 'job-completed');
    await page.close();
  });

  it('answers a job that does not exist with a readable message', async () => {
    const page = await openPage(dash.browser, `${dash.url}/jobs/no-such-job`);
    const alert = page.locator('main [role="alert"]');
    await expect.poll(() => alert.textContent()).toMatch(/no-such-job/);
    expect(await alert.textContent()).not.toMatch(/at \w+ \(|\.ts:\d+/);
    await screenshot(page, 'job-not-found');
    await page.close();
  });

  it('stops a running job after asking', async () => {
    await createJob('slow-one', 'slow', Array.from({ length: 60 }, (_, i) => `record ${i}`), { batchStrategy: 'SingleRecord' });
    const page = await openPage(dash.browser, `${dash.url}/jobs/slow-one`);
    await expect.poll(() => page.locator('h1 + [data-status]').textContent()).toBe('In progress');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop job' }).click();
    await expect.poll(() => page.locator('h1 + [data-status]').textContent(), { timeout: 30_000 }).toMatch(/^(Stopping|Stopped)$/);
    await screenshot(page, 'job-stopping');
    await waitForStatus(dash.api, 'slow-one', ['Stopped']);
    await page.close();
  });

  it('retries a failed job as a new run, showing why it failed', async () => {
    await createJob('picky-one', 'picky', ['fine', 'BAD line', 'also fine']);
    await waitForStatus(dash.api, 'picky-one', ['Failed']);
    const page = await openPage(dash.browser, `${dash.url}/jobs/picky-one`);
    await expect.poll(() => page.getByText('Why it failed').count()).toBe(1);
    await screenshot(page, 'job-failed');
    await page.getByRole('button', { name: 'Retry failed' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry failed' }).click();
    await expect.poll(() => page.getByText('run 2', { exact: true }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect((await dash.api.jobs.describe({ name: 'picky-one' })).run).toBe(2);
    await page.close();
  });
});
