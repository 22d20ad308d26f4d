/**
 * One side of the copy ratio, in a fresh process so that neither side inherits the other's heap
 * (V8 sizes its heap and schedules GCs from what ran before):
 *   node --import tsx --conditions=@sluice/source copy-child.ts <raw|engine> <input file> <output dir> <maxConcurrentTransforms> <warm-ups>
 * Runs the side `warm-ups` times untimed, then once timed, and prints one JSON line. The output
 * of the timed pass is left in <output dir> for the parent to check.
 */
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInProcessTransport, openStore, runTransform, type TransformRequest } from '@sluice/engine';
import { countingGc, fileUri } from './bench-support.js';

const [side, inputPath, outDir, concurrency, warmUps] = process.argv.slice(2);
if ((side !== 'raw' && side !== 'engine') || !inputPath || !outDir) {
  throw new Error('usage: copy-child.ts <raw|engine> <input file> <output dir> <maxConcurrentTransforms> <warm-ups>');
}

const request: TransformRequest = {
  splitType: 'Line',
  batchStrategy: 'MultiRecord',
  maxPayloadInMB: 6,
  assembleWith: 'Line',
  maxConcurrentTransforms: Number(concurrency ?? 1),
};
const transport = createInProcessTransport('identity', (payload) => payload);
const outFile = join(outDir, `${basename(inputPath)}.out`);

/** The engine: a Line job over the input's directory, written to outDir. */
async function engine(): Promise<{ bytes: number; records: number; lastWrite: number }> {
  let lastWrite = 0;
  const summary = await runTransform(
    { input: { uri: fileUri(dirname(inputPath!) + '/') }, output: { uri: fileUri(outDir! + '/') }, request, transport },
    {
      observer: {
        count: (delta) => {
          if (delta.bytesOut !== undefined) lastWrite = performance.now();
        },
      },
    },
  );
  if (summary.status !== 'Completed') throw new Error(`engine run ${summary.status}: ${summary.failureReason ?? ''}`);
  return { bytes: summary.bytesOut, records: summary.records, lastWrite };
}

/** The baseline: the same bytes read and written through the same store, no records. */
async function raw(): Promise<{ bytes: number; records: number; lastWrite: number }> {
  const source = openStore(fileUri(inputPath!));
  const target = openStore(fileUri(outFile));
  const stream = await source.store.read(source.key);
  const writer = target.store.createWriter(target.key, { expectedSize: (await source.store.head(source.key)).size });
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    await writer.write(chunk);
    bytes += chunk.length;
  }
  const lastWrite = performance.now();
  await writer.complete();
  return { bytes, records: 0, lastWrite };
}

const run = side === 'raw' ? raw : engine;
for (let i = 0; i < Number(warmUps ?? 1); i++) {
  await rm(outDir, { recursive: true, force: true });
  await run();
}
await rm(outDir, { recursive: true, force: true });
await new Promise((resolve) => setTimeout(resolve, 100));
const t0 = performance.now();
const { value, gc, cpuMs } = await countingGc(run);
const ms = performance.now() - t0;
process.stdout.write(
  `${JSON.stringify({ side, ms, writingMs: value.lastWrite - t0, cpuMs, majorGcs: gc.major, minorGcs: gc.minor, gcPauseMs: gc.pauseMs, bytes: value.bytes, records: value.records })}\n`,
);
