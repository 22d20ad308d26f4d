// A comparison over large outputs keeps its memory bounded: the input and every variant's output
// are streamed in lockstep, never loaded whole. Two jobs run for real over 100,000 records; their
// outputs are then replaced by ~100 MB each (the same records, padded), and the comparison is
// computed in this process while its memory is sampled.
import { createWriteStream } from 'node:fs';
import { writeFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { computeComparison, createComparison, createJob, createModel, describeComparison, LOCAL_ACTOR } from '@sluice/core';
import { comparisons } from '@sluice/db';
import { tempDir } from '@sluice/testkit';
import { startService, waitForJob, type TestService } from '../support/service.js';

const RECORDS = 100_000;
const PAD = 'x'.repeat(1000);
const MB = 1024 * 1024;

let service: TestService;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [service, dir] = await Promise.all([startService({ workers: 1, concurrency: 2 }), tempDir('sluice-compare-memory')]);
});
afterAll(async () => {
  await Promise.allSettled([service?.stop(), dir?.remove()]);
});

/** ~1 KB output lines; the second variant answers differently on every tenth record. */
async function writeOutput(path: string, variant: number): Promise<number> {
  const out = createWriteStream(path);
  let lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const label = variant === 1 && i % 10 === 0 ? 'other' : `class-${i % 7}`;
    lines.push(`{"label":"${label}","pad":"${PAD}"}\n`);
    if (lines.length === 1000) {
      if (!out.write(lines.join(''))) await once(out, 'drain');
      lines = [];
    }
  }
  out.end(lines.join(''));
  await once(out, 'finish');
  return (await stat(path)).size;
}

it('streams 2 × 100 MB of outputs with memory far below their size', async () => {
  await writeFile(join(dir.path, 'constant.mjs'), `
export function inputFn(body) { return body.toString('utf8').split('\\n').filter(Boolean); }
export function predictFn(lines) { return lines.map(() => ({ label: 'class-0' })); }
`);
  await createModel(service.core, LOCAL_ACTOR, { name: 'constant', kind: 'builtin', handler: join(dir.path, 'constant.mjs') });
  await mkdir(join(dir.path, 'in'));
  await writeFile(join(dir.path, 'in', 'records.jsonl'), Array.from({ length: RECORDS }, (_, i) => `{"text":"record ${i}"}\n`).join(''));
  const transform = { splitType: 'Line', assembleWith: 'Line', contentType: 'application/jsonlines', accept: 'application/jsonlines', maxPayloadInMB: 6 } as const;
  for (const name of ['big-a', 'big-b']) {
    await createJob(service.core, LOCAL_ACTOR, { name, modelName: 'constant', input: { uri: `file://${dir.path}/in/` }, output: { uri: `file://${dir.path}/${name}/` }, transform });
  }
  for (const name of ['big-a', 'big-b']) expect((await waitForJob(service.core, name)).progress.recordsOut).toBe(RECORDS);

  // No worker computes this comparison: this process does, under measurement.
  await Promise.all(service.workers.map((w) => w.stop()));
  const sizes = [await writeOutput(join(dir.path, 'big-a', 'records.jsonl.out'), 0), await writeOutput(join(dir.path, 'big-b', 'records.jsonl.out'), 1)];
  expect(Math.min(...sizes)).toBeGreaterThan(100 * 1_000_000);
  await createComparison(service.core, LOCAL_ACTOR, { name: 'big', jobs: ['big-a', 'big-b'], labelPath: '$.label', maxDisagreements: 5 });
  const [row] = await service.core.db.select().from(comparisons).where(eq(comparisons.name, 'big'));
  expect(row!.status).toBe('InProgress');

  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.arrayBuffers;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
  }, 5);
  const started = Date.now();
  try {
    await computeComparison(service.core, row!.id);
  } finally {
    clearInterval(sample);
  }
  const seconds = (Date.now() - started) / 1000;
  const heapDelta = peakHeap - (base.heapUsed + base.arrayBuffers);
  const rssDelta = peakRss - base.rss;
  process.stdout.write(
    `compare over ${(sizes[0]! / MB).toFixed(0)} + ${(sizes[1]! / MB).toFixed(0)} MiB of outputs: ${seconds.toFixed(1)} s, ` +
      `peak heap+buffers +${(heapDelta / MB).toFixed(1)} MiB, peak RSS +${(rssDelta / MB).toFixed(1)} MiB\n`,
  );

  const view = await describeComparison(service.core, LOCAL_ACTOR, { name: 'big' });
  expect(view.status, view.failureReason ?? '').toBe('Completed');
  expect(view.results!.records).toBe(RECORDS);
  expect(view.results!.pairs[0]!.labelAgreement).toBeCloseTo(0.9, 12);
  expect(view.results!.pairs[0]!.exactAgreement).toBeCloseTo(0.9, 12);
  expect(view.results!.disagreementCount).toBe(RECORDS / 10);
  expect(view.results!.disagreements.map((d) => d.record)).toEqual([0, 10, 20, 30, 40]);
  // Outputs are cut to 4 KB in the disagreement browser: these ~1 KB lines are kept whole.
  expect(view.results!.disagreements[0]!.outputs[1]).toBe(`{"label":"other","pad":"${PAD}"}`);
  // Each output is over 100 MB; the comparison held a few MiB of them at a time.
  expect(heapDelta).toBeLessThan(48 * MB);
  expect(rssDelta).toBeLessThan(64 * MB);
});
