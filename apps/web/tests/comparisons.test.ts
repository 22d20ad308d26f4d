// The comparison pages (issue #6) on real Chromium against a real service: two built-in language
// identifiers (franc, fastText lid.176) run in the worker over the same JSON Lines input with its
// true language in `lang`, compared from the job page's "Compare with…" and from the form's
// variants mode; what the pages show is checked against comparisons.describe.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonView } from '@sluice/contracts';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import { formatMs, formatPerSecond, formatShare } from '../src/lib/comparison-format.js';
import { formatCount, formatDuration } from '../src/lib/format.js';
import { openPage, screenshot, SCREENSHOTS, startDashboard, waitForComparison, waitForStatus, writeInput } from './dashboard-harness.js';

// Articles 1 and 3 of the Universal Declaration of Human Rights in 15 languages, and greetings too short for franc
// (it answers `und` under 10 characters) that fastText still names: the two models must disagree.
const RECORDS: Array<{ text: string; lang: string }> = [
  { lang: 'eng', text: 'All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.' },
  { lang: 'eng', text: 'Everyone has the right to life, liberty and the security of person.' },
  { lang: 'fra', text: 'Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité.' },
  { lang: 'fra', text: 'Tout individu a droit à la vie, à la liberté et à la sûreté de sa personne.' },
  { lang: 'deu', text: 'Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.' },
  { lang: 'deu', text: 'Jeder hat das Recht auf Leben, Freiheit und Sicherheit der Person.' },
  { lang: 'spa', text: 'Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como están de razón y conciencia, deben comportarse fraternalmente los unos con los otros.' },
  { lang: 'spa', text: 'Todo individuo tiene derecho a la vida, a la libertad y a la seguridad de su persona.' },
  { lang: 'ita', text: 'Tutti gli esseri umani nascono liberi ed eguali in dignità e diritti. Essi sono dotati di ragione e di coscienza e devono agire gli uni verso gli altri in spirito di fratellanza.' },
  { lang: 'ita', text: 'Ogni individuo ha diritto alla vita, alla libertà ed alla sicurezza della propria persona.' },
  { lang: 'nld', text: 'Alle mensen worden vrij en gelijk in waardigheid en rechten geboren. Zij zijn begiftigd met verstand en geweten, en behoren zich jegens elkander in een geest van broederschap te gedragen.' },
  { lang: 'nld', text: 'Een ieder heeft het recht op leven, vrijheid en onschendbaarheid van zijn persoon.' },
  { lang: 'pol', text: 'Każdy człowiek ma prawo do życia, wolności i bezpieczeństwa swej osoby.' },
  { lang: 'rus', text: 'Каждый человек имеет право на жизнь, на свободу и на личную неприкосновенность.' },
  { lang: 'tur', text: 'Yaşamak, hürriyet ve kişi emniyeti her ferdin hakkıdır.' },
  { lang: 'swe', text: 'Envar har rätt till liv, frihet och personlig säkerhet.' },
  { lang: 'por', text: 'Todo o indivíduo tem direito à vida, à liberdade e à segurança pessoal.' },
  { lang: 'ell', text: 'Κάθε άτομο έχει δικαίωμα στη ζωή, την ελευθερία και την προσωπική του ασφάλεια.' },
  { lang: 'arb', text: 'لكل فرد الحق في الحياة والحرية وسلامة شخصه.' },
  { lang: 'cmn', text: '人人有权享有生命、自由和人身安全。' },
  { lang: 'hin', text: 'प्रत्येक व्यक्ति को जीवन, स्वाधीनता और वैयक्तिक सुरक्षा का अधिकार है ।' },
  { lang: 'eng', text: 'Thanks' },
  { lang: 'fra', text: 'Merci' },
  { lang: 'deu', text: 'Danke' },
  { lang: 'spa', text: 'Gracias' },
];

let dash: Awaited<ReturnType<typeof startDashboard>>;
let slow: RunningModelServer;
let picky: RunningModelServer;
let input: string;
// One record per invocation, so each variant's latency histogram has as many samples as records.
const LANGUAGE_JOB = { splitType: 'Line', assembleWith: 'Line', batchStrategy: 'SingleRecord', contentType: 'application/jsonlines', dataProcessing: { inputFilter: '$.text' } } as const;

beforeAll(async () => {
  dash = await startDashboard();
  [slow, picky] = await Promise.all([startModelServer('latency', { FIXED_LATENCY_MS: '400' }), startModelServer('fail-on', { FAIL_MARKER: '"lang"' })]);
  await dash.api.models.create({ name: 'franc', kind: 'builtin', handler: 'franc' });
  await dash.api.models.create({ name: 'fasttext-langid', kind: 'builtin', handler: 'fasttext-langid' });
  await dash.api.models.create({ name: 'slow-echo', kind: 'http', url: slow.url });
  await dash.api.models.create({ name: 'picky', kind: 'http', url: picky.url });
  input = await writeInput(join(dash.files, 'languages', 'in'), 'udhr.jsonl', RECORDS.map((r) => JSON.stringify(r)));
  for (const [name, modelName] of [
    ['lang-franc', 'franc'],
    ['lang-fasttext', 'fasttext-langid'],
  ]) {
    await dash.api.jobs.create({ name: name!, modelName: modelName!, input: { uri: input }, output: { uri: `${input.replace(/in\/$/, '')}${name}/` }, transform: LANGUAGE_JOB });
  }
  await Promise.all([waitForStatus(dash.api, 'lang-franc', ['Completed']), waitForStatus(dash.api, 'lang-fasttext', ['Completed'])]);
});

afterAll(async () => {
  await Promise.all([slow?.stop(), picky?.stop()]);
  await dash?.stop();
});

/** The text of every cell matching `selector`, in document order. */
function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

/** What the side-by-side table must show for each variant, formatted as the page formats it. */
function expectedFigures(view: ComparisonView): Record<string, string[]> {
  const variants = view.results!.variants;
  return {
    duration: variants.map((v) => (v.durationMs === null ? '—' : formatDuration(v.durationMs))),
    'records-per-second': variants.map((v) => formatPerSecond(v.recordsPerSecond)),
    p50: variants.map((v) => formatMs(v.latencyMs.p50)),
    p95: variants.map((v) => formatMs(v.latencyMs.p95)),
    p99: variants.map((v) => formatMs(v.latencyMs.p99)),
    invocations: variants.map((v) => formatCount(v.invocations)),
    'error-rate': variants.map((v) => formatShare(v.errorRate)),
    'retry-rate': variants.map((v) => formatShare(v.retryRate)),
    records: variants.map((v) => formatCount(v.records)),
    'records-failed': variants.map((v) => formatCount(v.recordsFailed)),
    ...(variants.some((v) => v.accuracy !== undefined) ? { accuracy: variants.map((v) => formatShare(v.accuracy)) } : {}),
  };
}

describe('the comparisons list', () => {
  it('says how to create a comparison when there is none, from the nav bar', async () => {
    const page = await openPage(dash.browser, `${dash.url}/jobs`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Comparisons' }).click();
    await page.waitForURL(/\/comparisons$/);
    await expect.poll(() => page.getByText('No comparisons yet').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'new comparison form' }).getAttribute('href')).toBe('/comparisons/new');
    expect(await page.locator('main').textContent()).toContain('sluice compare create');
    expect(await page.getByRole('link', { name: 'Comparisons' }).getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'comparisons-empty');
    await page.close();
  });
});

describe('the new comparison form', () => {
  it('shows the server’s messages beside the fields it refuses, in both modes, and stays on the form', async () => {
    const page = await openPage(dash.browser, `${dash.url}/comparisons/new?jobs=lang-franc`);
    await expect.poll(() => texts(page, '[data-chosen-job]')).toEqual([expect.stringContaining('lang-franc')]);
    await page.getByLabel('Comparison name').fill('two-jobs');
    await page.getByLabel('Disagreements kept').fill('20000');
    await page.getByRole('button', { name: 'Create comparison' }).click();
    const jobsError = page.locator('[data-error-for="jobs"]');
    await expect.poll(() => jobsError.textContent()).toBe('compare at least 2 jobs');
    expect(await page.locator('[data-error-for="maxDisagreements"]').textContent()).toBe('must be at most 10000');
    expect(await page.getByLabel('Disagreements kept').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').first().textContent()).toContain('correct the fields marked below');
    await screenshot(page, 'comparison-form-errors');

    // Variants: no models chosen, no input, and an output a job cannot write to.
    await page.getByLabel('Run models as variants').check();
    await page.getByLabel('Disagreements kept').fill('');
    await page.getByLabel('Output path').fill('not-a-uri');
    await page.getByRole('button', { name: 'Create comparison' }).click();
    await expect.poll(() => page.locator('[data-error-for="variants.models"]').textContent()).toBe('compare at least 2 models');
    expect(await page.locator('[data-error-for="variants.output.uri"]').textContent()).toMatch(/s3:\/\//);
    expect(await page.locator('[data-error-for="variants.input.uri"]').count()).toBe(1);
    expect(page.url()).toMatch(/\/comparisons\/new\?jobs=lang-franc$/);
    await screenshot(page, 'comparison-form-variant-errors');
    expect((await dash.api.comparisons.list({})).items).toEqual([]);
    await page.close();
  });
});

describe('a comparison of two jobs', () => {
  it('is created from the job page’s “Compare with…”, completes, and shows the figures comparisons.describe returns', async () => {
    const page = await openPage(dash.browser, `${dash.url}/jobs/lang-franc`);
    await page.getByRole('link', { name: 'Compare with…' }).click();
    await page.waitForURL(/\/comparisons\/new\?jobs=lang-franc$/);
    await expect.poll(() => page.locator('[data-job-choice="lang-fasttext"]').count()).toBe(1);
    await page.getByLabel('lang-fasttext', { exact: true }).check();
    expect(await page.locator('[data-chosen-job]').evaluateAll((items) => items.map((i) => i.getAttribute('data-chosen-job')))).toEqual(['lang-franc', 'lang-fasttext']);
    await page.getByLabel('Comparison name').fill('lang-ids');
    await page.getByLabel('Ground truth').fill('$.lang');
    await page.getByLabel('Label path').fill('$.label');
    await screenshot(page, 'comparison-form');
    await page.getByRole('button', { name: 'Create comparison' }).click();
    await page.waitForURL(/\/comparisons\/lang-ids$/);
    await expect.poll(() => page.locator('h1 + [data-status]').textContent(), { timeout: 60_000 }).toBe('Completed');

    const view = await waitForComparison(dash.api, 'lang-ids', ['Completed']);
    const results = view.results!;
    expect(results.records).toBe(RECORDS.length);
    expect(results.disagreementCount).toBeGreaterThanOrEqual(4);

    // The jobs, linked in variant order.
    expect(await page.locator('[data-comparison-jobs] tbody a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['/jobs/lang-franc', '/jobs/lang-fasttext']);
    expect(await page.locator('[data-records-compared]').textContent()).toBe(String(RECORDS.length));

    // The side-by-side table: every figure of every variant.
    await expect.poll(() => page.locator('[data-variants-table]').count()).toBe(1);
    for (const [metric, values] of Object.entries(expectedFigures(view))) {
      expect(await texts(page, `[data-variants-table] tr[data-metric="${metric}"] td [data-value]`), metric).toEqual(values);
    }
    expect(await page.locator('[data-variants-table] thead a').evaluateAll((links) => links.map((a) => a.textContent))).toEqual(['lang-franc', 'lang-fasttext']);

    // Agreement of the pair.
    const pair = results.pairs[0]!;
    expect(await texts(page, '[data-pair="0-1"] td')).toEqual([formatCount(pair.records), formatShare(pair.exactAgreement), formatShare(pair.labelAgreement)]);

    // The latency histogram: one series of bars per variant, and its table's counts.
    expect(await page.locator('figure[data-chart="Latency distribution"] .recharts-bar').count()).toBe(2);
    expect(await page.locator('figure[data-chart="Latency distribution"] .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    const counted = await page.locator('[data-latency-table] td[data-variant="0"]').evaluateAll((cells) => cells.reduce((sum, c) => sum + Number(c.textContent!.replace(/,/g, '')), 0));
    expect(counted).toBe(results.variants[0]!.latencyBuckets.reduce((a, b) => a + b, 0));

    // The confusion heatmap: franc against the truth first, every cell's count; then the pair's.
    const truth = results.truthConfusion![0]!;
    const heatmap = page.locator('[data-heatmap="truth-0"]');
    await heatmap.scrollIntoViewIfNeeded();
    await heatmap.screenshot({ path: join(SCREENSHOTS, 'comparison-heatmap-truth.png') });
    expect(await heatmap.locator('tbody th[scope="row"]').allTextContents()).toEqual([...truth.labels, 'Total']);
    expect(await heatmap.locator('td[data-count]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))))).toEqual(truth.counts.flat());
    // `und` (too short to tell) is franc's answer, never a true language: its row is empty.
    expect(await heatmap.locator('[data-row-total="und"]').textContent()).toBe('0');
    expect(await heatmap.locator('td[data-col="und"]').evaluateAll((cells) => cells.reduce((sum, c) => sum + Number(c.getAttribute('data-count')), 0))).toBeGreaterThanOrEqual(4);
    await page.locator('[data-matrix-picker]').selectOption({ label: 'lang-franc vs lang-fasttext' });
    const pairMap = page.locator('[data-heatmap="pair-0-1"]');
    await expect.poll(() => pairMap.count()).toBe(1);
    expect(await pairMap.locator('td[data-count]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))))).toEqual(pair.confusion!.counts.flat());
    const undRow = pair.confusion!.labels.indexOf('und');
    const fasttextSaysEng = pair.confusion!.labels.indexOf('eng');
    expect(await pairMap.locator('td[data-row="und"][data-col="eng"]').getAttribute('data-count')).toBe(String(pair.confusion!.counts[undRow]![fasttextSaysEng]));

    // Precision and recall per true class.
    const eng = results.variants[1]!.perClass!.find((c) => c.label === 'eng')!;
    expect(await texts(page, '[data-per-class] tr[data-class="eng"] td[data-variant="1"]')).toEqual([formatShare(eng.precision), formatShare(eng.recall)]);

    // The disagreement browser: its first rows are the service's first disagreements.
    const rows = page.locator('[data-disagreements] tbody tr');
    expect(await rows.count()).toBe(Math.min(20, results.disagreements.length));
    expect(await page.locator('[data-disagreement-count]').textContent()).toContain(`${results.disagreementCount} records disagree`);
    for (const [i, d] of results.disagreements.slice(0, 3).entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-disagreement')).toBe(`${d.object}:${d.record}`);
      expect(await row.locator('[data-col="input"]').textContent()).toBe(d.input);
      expect(await row.locator('[data-col="truth"]').textContent()).toBe(d.truth);
      expect(await row.locator('[data-col="output"] [data-label]').evaluateAll((labels) => labels.map((l) => l.lastChild?.textContent))).toEqual(d.outputs.map((o) => (JSON.parse(o) as { label: string }).label));
    }
    // Filtering by a label keeps only the disagreements that involve it.
    await page.getByLabel('Label', { exact: true }).selectOption('und');
    const withUnd = results.disagreements.filter((d) => d.outputs.some((o) => (JSON.parse(o) as { label: string }).label === 'und') || d.truth === 'und');
    await expect.poll(() => rows.count()).toBe(Math.min(20, withUnd.length));
    await page.getByLabel('Label', { exact: true }).selectOption('');
    await screenshot(page, 'comparison-completed');

    // The job pages link back to the comparison.
    await page.goto(`${dash.url}/jobs/lang-fasttext`);
    const line = page.locator('[data-job-comparisons]');
    await expect.poll(() => line.getByRole('link', { name: 'lang-ids' }).getAttribute('href')).toBe('/comparisons/lang-ids');
    expect(await line.locator('[data-status]').textContent()).toBe('Completed');
    await screenshot(page, 'job-with-comparisons');
    await page.close();
  });

  it('refreshes live while a job runs: Waiting for jobs with the job’s progress, then the figures', async () => {
    await dash.api.jobs.create({
      name: 'lang-echo',
      modelName: 'slow-echo',
      input: { uri: input },
      output: { uri: `${input.replace(/in\/$/, '')}lang-echo/` },
      transform: { splitType: 'Line', assembleWith: 'Line', batchStrategy: 'SingleRecord', maxConcurrentTransforms: 1 },
    });
    await dash.api.comparisons.create({ name: 'franc-vs-echo', jobs: ['lang-franc', 'lang-echo'] });
    const page = await openPage(dash.browser, `${dash.url}/comparisons/franc-vs-echo`);
    await expect.poll(() => page.locator('h1 + [data-status]').textContent()).toBe('Waiting for jobs');
    // The running job's records, counted against the finished job's total (the same snapshot), go up live.
    const progress = page.locator('[data-job-progress="lang-echo"] p');
    const answered = async () => Number(new RegExp(`^(\\d+) of ${RECORDS.length} records`).exec((await progress.textContent()) ?? '')?.[1] ?? -1);
    await expect.poll(answered).toBeGreaterThanOrEqual(0);
    const first = await answered();
    await expect.poll(answered).toBeGreaterThan(first);
    await screenshot(page, 'comparison-waiting');
    await expect.poll(() => page.locator('h1 + [data-status]').textContent(), { timeout: 60_000 }).toBe('Completed');
    const view = await waitForComparison(dash.api, 'franc-vs-echo', ['Completed']);
    // No label path and no truth: whole output records are compared, and they all differ.
    expect(view.results!.disagreementCount).toBe(RECORDS.length);
    await expect.poll(() => page.locator('[data-disagreement-count]').textContent()).toContain(`${RECORDS.length} records disagree`);
    expect(await page.locator('[data-per-class]').count()).toBe(0);
    expect(await page.locator('[data-disagreements] [data-col="truth"]').count()).toBe(0);
    expect(await texts(page, '[data-variants-table] tr[data-metric="records"] td [data-value]')).toEqual([formatCount(RECORDS.length), formatCount(RECORDS.length)]);
    await page.close();
  });
  it('shows why it failed when no object was completed by every job', async () => {
    // Every record holds "lang": the picky model refuses them all and its job fails.
    await dash.api.jobs.create({ name: 'lang-refused', modelName: 'picky', input: { uri: input }, output: { uri: `${input.replace(/in\/$/, '')}lang-refused/` }, transform: { splitType: 'Line', assembleWith: 'Line' } });
    await waitForStatus(dash.api, 'lang-refused', ['Failed']);
    await dash.api.comparisons.create({ name: 'franc-vs-refused', jobs: ['lang-franc', 'lang-refused'] });
    const view = await waitForComparison(dash.api, 'franc-vs-refused', ['Failed']);
    expect(view.failureReason).toMatch(/lang-refused/);
    const page = await openPage(dash.browser, `${dash.url}/comparisons/franc-vs-refused`);
    const alert = page.locator('main [role="alert"]');
    await expect.poll(() => alert.locator('p').nth(1).textContent()).toBe(view.failureReason);
    expect(await alert.locator('p').first().textContent()).toBe('Why it failed');
    expect(await page.locator('h1 + [data-status]').textContent()).toBe('Failed');
    expect(await page.locator('[data-variants-table]').count()).toBe(0);
    expect(await page.locator('[data-comparison-jobs] tr[data-job="lang-refused"] [data-status]').textContent()).toBe('Failed');
    await screenshot(page, 'comparison-failed');
    await page.close();
  });
});

describe('a comparison of models run as variants', () => {
  it('runs one job per model from the form and finds what the same models found over the same data', async () => {
    const page = await openPage(dash.browser, `${dash.url}/comparisons/new`);
    await page.getByLabel('Run models as variants').check();
    await expect.poll(() => page.getByLabel('Model 1', { exact: true }).locator('option[value="franc"]').count()).toBe(1);
    await page.getByLabel('Comparison name').fill('lang-variants');
    await page.getByLabel('Model 1', { exact: true }).selectOption('franc');
    await page.getByLabel('Model 2', { exact: true }).selectOption('fasttext-langid');
    await page.getByLabel('Variant 2', { exact: true }).fill('fasttext');
    await page.getByLabel('Input URI').fill(input);
    await page.getByLabel('Content type').fill('application/jsonlines');
    await page.getByLabel('Split type').selectOption('Line');
    await page.getByLabel('Output path').fill(`${input.replace(/in\/$/, '')}variants/`);
    await page.getByLabel('Assemble with').selectOption('Line');
    await page.getByLabel('Input filter').fill('$.text');
    await page.getByLabel('Ground truth').fill('$.lang');
    await page.getByLabel('Label path').fill('$.label');
    await screenshot(page, 'comparison-form-variants');
    await page.getByRole('button', { name: 'Create comparison' }).click();
    await page.waitForURL(/\/comparisons\/lang-variants$/);
    await expect.poll(() => page.locator('h1 + [data-status]').textContent(), { timeout: 60_000 }).toBe('Completed');

    const [variants, jobs] = await Promise.all([waitForComparison(dash.api, 'lang-variants', ['Completed']), waitForComparison(dash.api, 'lang-ids', ['Completed'])]);
    expect(variants.jobs.map((j) => j.name)).toEqual(['lang-variants-franc', 'lang-variants-fasttext']);
    expect(await page.locator('[data-comparison-jobs] tbody a').evaluateAll((links) => links.map((a) => a.textContent))).toEqual(['lang-variants-franc', 'lang-variants-fasttext']);
    // Same models, same records, same filters: the same accuracy as the comparison of the two jobs.
    await expect.poll(() => texts(page, '[data-variants-table] tr[data-metric="accuracy"] td [data-value]')).toEqual(jobs.results!.variants.map((v) => formatShare(v.accuracy)));
    expect(variants.results!.disagreementCount).toBe(jobs.results!.disagreementCount);

    // The list shows all three, newest first, with their records and jobs.
    await page.goto(`${dash.url}/comparisons`);
    const rows = page.locator('tr[data-comparison]');
    await expect.poll(() => rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-comparison')))).toEqual(['lang-variants', 'franc-vs-refused', 'franc-vs-echo', 'lang-ids']);
    expect(await page.locator('tr[data-comparison="lang-ids"] [data-col="records"]').textContent()).toBe(String(RECORDS.length));
    expect(await page.locator('tr[data-comparison="lang-ids"] [data-col="jobs"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['/jobs/lang-franc', '/jobs/lang-fasttext']);
    await screenshot(page, 'comparisons-list');
    await page.close();
  });
});
