import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardWithModel, openPage, screenshot, waitForStatus, writeInput } from './dashboard-harness.js';

const fixture = dashboardWithModel('upper');

describe('previews', () => {
  it('checks the input on the new job page: object count, size and the first records, or the error under the field', async () => {
    const input = await writeInput(join(fixture.dash.files, 'check', 'in'), 'part-1.txt', ['first line', 'second line']);
    const page = await openPage(fixture.dash.browser, `${fixture.dash.url}/jobs/new`);
    await page.getByLabel('Input URI').fill(input);
    await page.getByLabel('Split type').selectOption('Line');
    await page.getByRole('button', { name: 'Check input' }).click();
    const result = page.locator('[data-input-check-result]');
    await expect.poll(() => result.count()).toBe(1);
    expect(await result.locator('[data-input-objects]').textContent()).toBe('1 object');
    expect(await result.getByRole('listitem').allTextContents()).toEqual(['first line', 'second line']);
    await screenshot(page, 'new-job-check-input');

    await page.getByLabel('Input URI').fill(`${input}nothing-here/`);
    await page.getByRole('button', { name: 'Check input' }).click();
    await expect.poll(() => page.locator('[data-input-check-error]').textContent()).toMatch(/No objects found/);
    await page.close();
  });

  it('shows a completed Line job’s first records beside its output lines', async () => {
    const input = await writeInput(join(fixture.dash.files, 'firsts', 'in'), 'part-1.txt', ['alpha', 'beta']);
    await fixture.dash.api.jobs.create({
      name: 'firsts',
      modelName: 'upper',
      input: { uri: input },
      output: { uri: `${input.replace(/in\/$/, '')}out/` },
      transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/plain' },
    });
    await waitForStatus(fixture.dash.api, 'firsts', ['Completed']);
    const page = await openPage(fixture.dash.browser, `${fixture.dash.url}/jobs/firsts`);
    const rows = page.locator('[data-first-records] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual(['alpha', 'ALPHA']);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['beta', 'BETA']);
    await screenshot(page, 'job-first-records');
    await page.close();
  });
});
