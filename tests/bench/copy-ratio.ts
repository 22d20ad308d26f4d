/**
 * Copy ratio: a Line job through an in-process identity model (MultiRecord, 6 MB payloads,
 * AssembleWith Line) against a raw stream copy of the same bytes through the same file
 * ObjectStore (store.read → createWriter().write → complete). Both write the same output bytes
 * and pay the same complete() (fsync, rename); the ratio is what splitting, batching, invoking and
 * assembling in order cost on top of moving the bytes.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInProcessTransport, openStore, runTransform, type TransformRequest } from '@sluice/engine';
import {
  benchRuns,
  benchScale,
  fileUri,
  fixed,
  log,
  mbps,
  passText,
  round,
  sameFile,
  scratchDir,
  settle,
  sizeText,
  verdict,
  writeLineFile,
  MB,
  type ScenarioResult,
  type Target,
} from './bench-support.js';

const TARGET: Target = { metric: 'engine MB/s ÷ raw copy MB/s', op: '>=', value: 0.8 };

/** One timed pass: the whole time, and the part before the output's complete() began. */
interface Pass {
  ms: number;
  /** Up to the last write accepted (the rest is complete(): flush, fsync, rename). */
  writingMs: number;
}

export async function copyRatio(): Promise<ScenarioResult> {
  const started = performance.now();
  const scale = benchScale();
  const runs = benchRuns();
  const concurrency = Number(process.env.BENCH_COPY_CONCURRENCY ?? 1);
  const dir = await scratchDir('copy');
  try {
    log(`generating ${sizeText(1e9 * scale)} of ~1 KB lines...`);
    const input = await writeLineFile(join(dir.path, 'in', 'data.txt'), { bytes: Math.round(1e9 * scale), minLine: 900, maxLine: 1100 });
    log(`  ${sizeText(input.bytes)}, ${input.lines.toLocaleString('en-US')} lines in ${input.path}`);

    const request: TransformRequest = {
      splitType: 'Line',
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 6,
      assembleWith: 'Line',
      maxConcurrentTransforms: concurrency,
    };
    const transport = createInProcessTransport('identity', (payload) => payload);
    const engineOut = join(dir.path, 'out-engine');
    const engineOutFile = join(engineOut, 'data.txt.out');

    const engine = async (): Promise<Pass> => {
      await rm(engineOut, { recursive: true, force: true });
      const t0 = performance.now();
      let lastWrite = t0;
      const summary = await runTransform(
        { input: { uri: fileUri(join(dir.path, 'in') + '/') }, output: { uri: fileUri(engineOut + '/') }, request, transport },
        { observer: { count: (d) => { if (d.bytesOut !== undefined) lastWrite = performance.now(); } } },
      );
      const ms = performance.now() - t0;
      if (summary.status !== 'Completed') throw new Error(`engine run ${summary.status}: ${summary.failureReason ?? ''}`);
      if (summary.bytesOut !== input.bytes || summary.records !== input.lines) {
        throw new Error(`engine wrote ${summary.bytesOut} bytes / ${summary.records} records, expected ${input.bytes} / ${input.lines}`);
      }
      return { ms, writingMs: lastWrite - t0 };
    };

    const rawOutFile = join(dir.path, 'out-raw', 'data.txt.out');
    const raw = async (): Promise<Pass> => {
      await rm(rawOutFile, { force: true });
      const t0 = performance.now();
      const source = openStore(fileUri(input.path));
      const target = openStore(fileUri(rawOutFile));
      const stream = await source.store.read(source.key);
      const writer = target.store.createWriter(target.key, { expectedSize: input.bytes });
      let bytes = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        await writer.write(chunk);
        bytes += chunk.length;
      }
      const writingMs = performance.now() - t0;
      await writer.complete();
      const ms = performance.now() - t0;
      if (bytes !== input.bytes) throw new Error(`raw copy moved ${bytes} bytes, expected ${input.bytes}`);
      return { ms, writingMs };
    };

    log(`warm-up (one pass each), then best of ${runs} (MaxConcurrentTransforms ${concurrency})...`);
    await raw();
    await settle();
    await engine();
    await settle();
    const rawPasses: Pass[] = [];
    const enginePasses: Pass[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate which side goes first, so a slow spell of the shared machine hits both.
      for (const side of i % 2 === 0 ? (['raw', 'engine'] as const) : (['engine', 'raw'] as const)) {
        const pass = side === 'raw' ? await raw() : await engine();
        (side === 'raw' ? rawPasses : enginePasses).push(pass);
        log(`  ${side.padEnd(6)} ${fixed(mbps(input.bytes, pass.ms))} MB/s (${fixed(pass.ms / 1000, 2)} s, ${fixed(pass.writingMs / 1000, 2)} s before complete())`);
        await settle();
      }
    }
    const identical = await sameFile(input.path, engineOutFile);
    if (!identical) throw new Error(`the engine's output ${engineOutFile} differs from its input`);

    const bestOf = (passes: Pass[], pick: (p: Pass) => number) => Math.min(...passes.map(pick));
    const rawMBps = mbps(input.bytes, bestOf(rawPasses, (p) => p.ms));
    const engineMBps = mbps(input.bytes, bestOf(enginePasses, (p) => p.ms));
    const rawWritingMBps = mbps(input.bytes, bestOf(rawPasses, (p) => p.writingMs));
    const engineWritingMBps = mbps(input.bytes, bestOf(enginePasses, (p) => p.writingMs));
    const ratio = engineMBps / rawMBps;
    const writingRatio = engineWritingMBps / rawWritingMBps;
    const pass = verdict(ratio, TARGET);

    log(`  raw copy  ${fixed(rawMBps)} MB/s   engine ${fixed(engineMBps)} MB/s   ratio ${fixed(ratio, 2)} (target ≥ ${TARGET.value})  ${passText(pass)}`);
    log(`  before complete() (fsync + rename excluded): raw ${fixed(rawWritingMBps)} MB/s, engine ${fixed(engineWritingMBps)} MB/s, ratio ${fixed(writingRatio, 2)}`);
    return {
      name: 'copy',
      title: 'copy ratio: Line job, in-process identity model vs raw store copy',
      target: TARGET,
      value: round(ratio),
      pass,
      figures: {
        inputBytes: input.bytes,
        inputLines: input.lines,
        lineBytes: '900-1100',
        request,
        runs,
        rawMBps: round(rawMBps, 1),
        engineMBps: round(engineMBps, 1),
        ratio: round(ratio),
        rawBeforeCompleteMBps: round(rawWritingMBps, 1),
        engineBeforeCompleteMBps: round(engineWritingMBps, 1),
        ratioBeforeComplete: round(writingRatio),
        rawPassesMs: rawPasses.map((p) => Math.round(p.ms)),
        enginePassesMs: enginePasses.map((p) => Math.round(p.ms)),
        rawCompleteMs: rawPasses.map((p) => Math.round(p.ms - p.writingMs)),
        engineCompleteMs: enginePasses.map((p) => Math.round(p.ms - p.writingMs)),
        outputVerified: identical,
      },
      notes: [
        `MB = ${MB} bytes; best of ${runs} after a warm-up, raw and engine passes alternating`,
        'both sides end with the file store\'s complete(): fsync, rename, directory fsync',
      ],
      durationS: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await dir.remove();
  }
}
