/**
 * Copy ratio: a Line job through an in-process identity model (MultiRecord, 6 MB payloads,
 * AssembleWith Line) against a raw stream copy of the same bytes through the same file
 * ObjectStore (store.read → createWriter().write → complete). Both write the same output bytes
 * and pay the same complete() (fsync, rename); the ratio is what splitting, batching, invoking and
 * assembling in order cost on top of moving the bytes.
 *
 * Each pass runs in a fresh child (copy-child.ts: one warm-up, then the timed pass), raw and
 * engine alternating: in one process the side that runs second inherits a heap that V8 has sized
 * and scheduled from the first side's garbage, which skews the comparison.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  benchDir,
  benchRuns,
  benchScale,
  fixed,
  lastJsonLine,
  log,
  mbps,
  median,
  passText,
  round,
  runNode,
  sameFile,
  scratchDir,
  sizeText,
  verdict,
  writeLineFile,
  MB,
  type ScenarioResult,
  type Target,
} from './bench-support.js';

const TARGET: Target = { metric: 'engine MB/s ÷ raw copy MB/s', op: '>=', value: 0.8 };
const CHILD = join(benchDir, 'copy-child.ts');

/** What copy-child.ts prints for its timed pass. */
interface Pass {
  side: 'raw' | 'engine';
  ms: number;
  /** Up to the last write accepted (the rest is complete(): flush, fsync, rename). */
  writingMs: number;
  /** CPU time of the child during the pass (every thread: main, libuv pool, GC helpers). */
  cpuMs: number;
  majorGcs: number;
  minorGcs: number;
  gcPauseMs: number;
  bytes: number;
  records: number;
}

export async function copyRatio(): Promise<ScenarioResult> {
  const started = performance.now();
  const scale = benchScale();
  const runs = benchRuns();
  const concurrency = Number(process.env.BENCH_COPY_CONCURRENCY ?? 1);
  const dir = await scratchDir('copy', { inMemory: true, bytesNeeded: 2e9 * scale });
  try {
    log(`generating ${sizeText(1e9 * scale)} of ~1 KB lines...`);
    const input = await writeLineFile(join(dir.path, 'in', 'data.txt'), { bytes: Math.round(1e9 * scale), minLine: 900, maxLine: 1100 });
    log(`  ${sizeText(input.bytes)}, ${input.lines.toLocaleString('en-US')} lines in ${input.path} (${dir.medium})`);

    const engineOut = join(dir.path, 'out-engine');
    const pass = async (side: 'raw' | 'engine'): Promise<Pass> => {
      const out = join(dir.path, `out-${side}`);
      const run = await runNode(['--import', 'tsx', '--conditions=@sluice/source', CHILD, side, input.path, out, String(concurrency), '1']);
      if (run.code !== 0) throw new Error(`copy child (${side}) exited with ${run.code ?? run.signal}:\n${run.stderr.slice(-2000)}`);
      const result = lastJsonLine<Pass>(run.stdout);
      if (result.bytes !== input.bytes || (side === 'engine' && result.records !== input.lines)) {
        throw new Error(`${side} wrote ${result.bytes} bytes / ${result.records} records, expected ${input.bytes} / ${input.lines}`);
      }
      if (side === 'raw') await rm(out, { recursive: true, force: true });
      return result;
    };

    log(`${runs} rounds; each pass in a fresh process after one untimed warm-up pass (MaxConcurrentTransforms ${concurrency})...`);
    const rawPasses: Pass[] = [];
    const enginePasses: Pass[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate which side goes first, so a slow spell of the shared machine hits both.
      for (const side of i % 2 === 0 ? (['raw', 'engine'] as const) : (['engine', 'raw'] as const)) {
        const p = await pass(side);
        (side === 'raw' ? rawPasses : enginePasses).push(p);
        log(
          `  ${side.padEnd(6)} ${fixed(mbps(input.bytes, p.ms)).padStart(7)} MB/s  ${fixed(p.ms / 1000, 2)} s (${fixed(p.writingMs / 1000, 2)} s before complete())  ` +
            `CPU ${fixed(p.cpuMs / 1000, 2)} s, ${p.majorGcs} major GCs (${fixed(p.gcPauseMs, 0)} ms GC pauses)`,
        );
      }
    }
    const identical = await sameFile(input.path, join(engineOut, 'data.txt.out'));
    if (!identical) throw new Error(`the engine's output differs from its input`);

    const fastest = (passes: Pass[], pick: (p: Pass) => number) => Math.min(...passes.map(pick));
    const rawMBps = mbps(input.bytes, fastest(rawPasses, (p) => p.ms));
    const engineMBps = mbps(input.bytes, fastest(enginePasses, (p) => p.ms));
    const rawWritingMBps = mbps(input.bytes, fastest(rawPasses, (p) => p.writingMs));
    const engineWritingMBps = mbps(input.bytes, fastest(enginePasses, (p) => p.writingMs));
    const ratio = engineMBps / rawMBps;
    const writingRatio = engineWritingMBps / rawWritingMBps;
    const medianRatio = mbps(input.bytes, median(enginePasses.map((p) => p.ms))) / mbps(input.bytes, median(rawPasses.map((p) => p.ms)));
    const pass_ = verdict(ratio, TARGET);
    const gb = input.bytes / 1e9;
    const perGb = (passes: Pass[], pick: (p: Pass) => number) => median(passes.map(pick)) / gb;
    const rawCpuPerGb = perGb(rawPasses, (p) => p.cpuMs) / 1000;
    const engineCpuPerGb = perGb(enginePasses, (p) => p.cpuMs) / 1000;

    log(`  raw copy  ${fixed(rawMBps)} MB/s   engine ${fixed(engineMBps)} MB/s   ratio ${fixed(ratio, 2)} (target ≥ ${TARGET.value})  ${passText(pass_)}`);
    log(`  medians: ratio ${fixed(medianRatio, 2)}; before complete() (fsync + rename excluded): ratio ${fixed(writingRatio, 2)}`);
    log(
      `  CPU per GB (median, all threads): raw ${fixed(rawCpuPerGb, 2)} s, engine ${fixed(engineCpuPerGb, 2)} s (×${fixed(engineCpuPerGb / rawCpuPerGb, 1)}); ` +
        `major GCs per GB: raw ${fixed(perGb(rawPasses, (p) => p.majorGcs), 0)}, engine ${fixed(perGb(enginePasses, (p) => p.majorGcs), 0)}; ` +
        `engine GC pauses ${fixed(perGb(enginePasses, (p) => p.gcPauseMs), 0)} ms per GB`,
    );
    return {
      name: 'copy',
      title: 'copy ratio: Line job, in-process identity model vs raw store copy',
      target: TARGET,
      value: round(ratio),
      pass: pass_,
      figures: {
        inputBytes: input.bytes,
        inputLines: input.lines,
        lineBytes: '900-1100',
        request: { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: 6, assembleWith: 'Line', maxConcurrentTransforms: concurrency },
        runs,
        rawMBps: round(rawMBps, 1),
        engineMBps: round(engineMBps, 1),
        ratio: round(ratio),
        medianRatio: round(medianRatio),
        rawBeforeCompleteMBps: round(rawWritingMBps, 1),
        engineBeforeCompleteMBps: round(engineWritingMBps, 1),
        ratioBeforeComplete: round(writingRatio),
        rawPassesMs: rawPasses.map((p) => Math.round(p.ms)),
        enginePassesMs: enginePasses.map((p) => Math.round(p.ms)),
        rawCompleteMs: rawPasses.map((p) => Math.round(p.ms - p.writingMs)),
        engineCompleteMs: enginePasses.map((p) => Math.round(p.ms - p.writingMs)),
        rawCpuSecondsPerGB: round(rawCpuPerGb, 2),
        engineCpuSecondsPerGB: round(engineCpuPerGb, 2),
        rawMajorGcsPerGB: round(perGb(rawPasses, (p) => p.majorGcs), 1),
        engineMajorGcsPerGB: round(perGb(enginePasses, (p) => p.majorGcs), 1),
        engineGcPauseMsPerGB: Math.round(perGb(enginePasses, (p) => p.gcPauseMs)),
        dataMedium: dir.medium,
        outputVerified: identical,
      },
      notes: [
        `MB = ${MB} bytes; best of ${runs} passes per side, each in a fresh process after a warm-up pass, sides alternating`,
        "both sides end with the file store's complete(): fsync, rename, directory fsync",
        `data on ${dir.medium}${dir.medium === 'tmpfs' ? " (/dev/shm), so that the disk's write-back (on this VM anywhere from ~250 MB/s to over 1 GB/s from one run to the next) does not set both sides' pace; BENCH_DIR=/tmp measures on disk" : ''}`,
      ],
      durationS: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await dir.remove();
  }
}
