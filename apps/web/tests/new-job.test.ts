import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardWithModel, openPage, screenshot, waitForStatus, writeInput } from './dashboard-harness.js';

const fixture = dashboardWithModel('upper');

describe('the new job page', () => {
  it('creates a job from the form and opens its page, which reaches Completed', async () => {
    const input = await writeInput(join(fixture.dash.files, 'from-form', 'in'), 'part-1.txt', ['alpha', 'beta', 'gamma']);
    const page = await openPage(fixture.dash.browser, `${fixture.dash.url}/jobs/new`);
    await expect.poll(() => page.getByLabel('Model').locator('option[value="upper"]').count()).toBe(1);
    await page.getByLabel('Job name').fill('from-form');
    await page.getByLabel('Model').selectOption('upper');
    await page.getByLabel('Input URI').fill(input);
    await page.getByLabel('Split type').selectOption('Line');
    await page.getByLabel('Output path').fill(`${input.replace(/in\/$/, '')}out/`);
    await page.getByLabel('Assemble with').selectOption('Line');
    await page.getByLabel('Max payload (MB)').fill('2');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Key 1').first().fill('GREETING');
    await page.getByLabel('Value 1').first().fill('hi');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('[data-field="tags"]').getByLabel('Key 1').fill('team');
    await page.locator('[data-field="tags"]').getByLabel('Value 1').fill('search');
    await screenshot(page, 'new-job');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/jobs\/from-form$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('from-form');
    await expect.poll(() => page.locator('[data-status]').first().textContent(), { timeout: 60_000 }).toBe('Completed');
    const job = await waitForStatus(fixture.dash.api, 'from-form', ['Completed']);
    expect(job.transform).toMatchObject({ splitType: 'Line', assembleWith: 'Line', maxPayloadInMB: 2 });
    expect(job.environment).toEqual({ GREETING: 'hi' });
    expect(job.tags).toEqual([{ key: 'team', value: 'search' }]);
    expect(job.progress.recordsOut).toBe(3);
    await page.close();
  });

  it('shows the server’s message beside Max payload when it is over 100 MB, and keeps the user on the form', async () => {
    const page = await openPage(fixture.dash.browser, `${fixture.dash.url}/jobs/new`);
    await expect.poll(() => page.getByLabel('Model').locator('option[value="upper"]').count()).toBe(1);
    await page.getByLabel('Job name').fill('too-big');
    await page.getByLabel('Model').selectOption('upper');
    await page.getByLabel('Input URI').fill('file:///tmp/sluice-nowhere/in/');
    await page.getByLabel('Output path').fill('not-a-uri');
    await page.getByLabel('Max payload (MB)').fill('101');
    await page.getByRole('button', { name: 'Create job' }).click();
    const payloadError = page.locator('[data-error-for="transform.maxPayloadInMB"]');
    await expect.poll(() => payloadError.count()).toBe(1);
    expect(await payloadError.textContent()).toMatch(/100/);
    expect(await page.getByLabel('Max payload (MB)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-error-for="output.uri"]').textContent()).toMatch(/s3:\/\//);
    expect(await page.getByRole('alert').first().textContent()).toContain('correct the fields marked below');
    // Focus goes to the first field in trouble, so a keyboard user lands on it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('output.uri');
    expect(page.url()).toMatch(/\/jobs\/new$/);
    await screenshot(page, 'new-job-errors');
    await page.close();
  });

  it('prefills every field from the job named by ?clone, under a -copy name', async () => {
    const input = await writeInput(join(fixture.dash.files, 'original', 'in'), 'part-1.txt', ['one']);
    await fixture.dash.api.jobs.create({
      name: 'original',
      modelName: 'upper',
      input: { uri: input },
      output: { uri: `${input.replace(/in\/$/, '')}out/` },
      transform: { splitType: 'Line', batchStrategy: 'SingleRecord', maxPayloadInMB: 3, contentType: 'text/plain', modelClientConfig: { invocationsTimeoutInSeconds: 30 }, errorPolicy: { mode: 'placeholder', placeholder: 'N/A' } },
      instanceCount: 2,
      shardSizeMB: 64,
      environment: { MODE: 'fast' },
      tags: [{ key: 'owner', value: 'ana' }],
    });
    const page = await openPage(fixture.dash.browser, `${fixture.dash.url}/jobs/original`);
    await page.getByRole('link', { name: 'Clone' }).click();
    await page.waitForURL(/\/jobs\/new\?clone=original$/);
    await expect.poll(() => page.getByLabel('Job name').inputValue()).toBe('original-copy');
    expect(await page.getByLabel('Model').inputValue()).toBe('upper');
    expect(await page.getByLabel('Input URI').inputValue()).toBe(input);
    expect(await page.getByLabel('Split type').inputValue()).toBe('Line');
    expect(await page.getByLabel('Batch strategy').inputValue()).toBe('SingleRecord');
    expect(await page.getByLabel('Max payload (MB)').inputValue()).toBe('3');
    expect(await page.getByLabel('Content type').inputValue()).toBe('text/plain');
    expect(await page.getByLabel('Invocation timeout (s)').inputValue()).toBe('30');
    expect(await page.getByLabel('Error policy').inputValue()).toBe('placeholder');
    expect(await page.getByLabel('Placeholder', { exact: true }).inputValue()).toBe('N/A');
    expect(await page.getByLabel('Instance count').inputValue()).toBe('2');
    expect(await page.getByLabel('Shard size (MB)').inputValue()).toBe('64');
    expect(await page.locator('[data-field="environment"]').getByLabel('Key 1').inputValue()).toBe('MODE');
    expect(await page.locator('[data-field="environment"]').getByLabel('Value 1').inputValue()).toBe('fast');
    expect(await page.locator('[data-field="tags"]').getByLabel('Key 1').inputValue()).toBe('owner');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/jobs\/original-copy$/);
    const copy = await waitForStatus(fixture.dash.api, 'original-copy', ['Completed']);
    expect(copy.transform).toMatchObject({ batchStrategy: 'SingleRecord', maxPayloadInMB: 3 });
    expect(copy.environment).toEqual({ MODE: 'fast' });
    await page.close();
  });

  it('sets data capture from its section, and the job page shows where the manifests are once the job ends', async () => {
    const input = await writeInput(join(fixture.dash.files, 'captured', 'in'), 'part-1.txt', ['{"a":1}', '{"a":2}']);
    const capture = `${input.replace(/in\/$/, '')}capture/`;
    const page = await openPage(fixture.dash.browser, `${fixture.dash.url}/jobs/new`);
    await expect.poll(() => page.getByLabel('Model').locator('option[value="upper"]').count()).toBe(1);
    await page.getByLabel('Job name').fill('captured');
    await page.getByLabel('Model').selectOption('upper');
    await page.getByLabel('Input URI').fill(input);
    await page.getByLabel('Split type').selectOption('Line');
    await page.getByLabel('Content type').fill('application/jsonlines');
    await page.getByLabel('Output path').fill(`${input.replace(/in\/$/, '')}out/`);
    await page.getByLabel('Assemble with').selectOption('Line');
    expect(await page.getByLabel('Generate inference ids').locator('option').allTextContents()).toEqual(['Default (off)', 'true', 'false']);
    await page.getByLabel('Capture destination').fill(capture);
    await page.getByLabel('Generate inference ids').selectOption('true');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/jobs\/captured$/);
    const job = await waitForStatus(fixture.dash.api, 'captured', ['Completed']);
    expect(job.transform.dataCaptureConfig).toEqual({ destinationS3Uri: capture, generateInferenceId: true });
    await expect.poll(() => page.locator('[data-status]').first().textContent(), { timeout: 60_000 }).toBe('Completed');
    const line = page.locator('[data-job-capture]');
    await expect.poll(() => line.textContent()).toContain(job.capture!.output);
    expect(await line.textContent()).toContain(job.capture!.input);
    expect(await line.textContent()).toContain('inference ids in every output record');
    expect(await line.textContent()).not.toContain('written when the job ends');
    await screenshot(page, 'job-data-capture');
    await page.close();
  });
});
