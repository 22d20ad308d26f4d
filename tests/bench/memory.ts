/**
 * Memory: peak RSS of a child process transforming a 2 GB object (scaled by BENCH_SCALE) with the
 * in-process identity model, against an idle child of the same kind (node + tsx + the engine
 * loaded, nothing transformed). The child reports its own peak (VmHWM); the bench also polls it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  benchDir,
  benchScale,
  fileUri,
  fixed,
  lastJsonLine,
  log,
  passText,
  round,
  runNode,
  scratchDir,
  sizeText,
  verdict,
  writeLineFile,
  MB,
  type ChildRun,
  type ScenarioResult,
  type Target,
} from './bench-support.js';

const TARGET: Target = { metric: 'peak RSS of the transforming child, MB', op: '<=', value: 300 };
const CHILD = join(benchDir, 'memory-child.ts');

interface ChildReport {
  mode: string;
  maxRssBytes: number;
  rssAtEndBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  summary?: { status: string; records: number; bytesIn: number; bytesOut: number; durationMs: number; failureReason?: string };
}

/** MaxConcurrentTransforms values measured; the headline is the worst. */
function concurrencies(): number[] {
  const raw = process.env.BENCH_MEMORY_CONCURRENCY ?? '1,4';
  return raw.split(',').map((v) => Number(v.trim()));
}

async function child(args: string[]): Promise<{ run: ChildRun; report: ChildReport }> {
  const run = await runNode(['--import', 'tsx', '--conditions=@sluice/source', CHILD, ...args], { pollMs: 25 });
  if (run.code !== 0) throw new Error(`memory child ${args[0]} exited with ${run.code ?? run.signal}:\n${run.stderr.slice(-2000)}`);
  return { run, report: lastJsonLine<ChildReport>(run.stdout) };
}

export async function memory(): Promise<ScenarioResult> {
  const started = performance.now();
  const scale = benchScale();
  const dir = await scratchDir('memory');
  try {
    log(`generating ${sizeText(2e9 * scale)} of ~1 KB lines...`);
    const inDir = join(dir.path, 'in');
    const input = await writeLineFile(join(inDir, 'data.txt'), { bytes: Math.round(2e9 * scale), minLine: 900, maxLine: 1100, seed: 4 });
    log(`  ${sizeText(input.bytes)}, ${input.lines.toLocaleString('en-US')} lines`);

    const idle = await child(['idle']);
    const idleMB = idle.report.maxRssBytes / MB;
    log(`  idle child (node + tsx + engine): peak RSS ${fixed(idleMB, 1)} MB (VmHWM polled ${fixed(idle.run.peakRssBytes / MB, 1)} MB)`);

    const runs: Array<{ maxConcurrentTransforms: number; peakRssMB: number; polledPeakRssMB: number; rssAtEndMB: number; durationMs: number; MBps: number }> = [];
    for (const mct of concurrencies()) {
      const outDir = join(dir.path, `out-${mct}`);
      const { run, report } = await child(['transform', fileUri(inDir + '/'), fileUri(outDir + '/'), String(mct)]);
      const s = report.summary;
      if (!s || s.status !== 'Completed' || s.bytesOut !== input.bytes || s.records !== input.lines) {
        throw new Error(`memory child transform: ${JSON.stringify(s)}`);
      }
      const peakRssMB = report.maxRssBytes / MB;
      runs.push({
        maxConcurrentTransforms: mct,
        peakRssMB: round(peakRssMB, 1),
        polledPeakRssMB: round(run.peakRssBytes / MB, 1),
        rssAtEndMB: round(report.rssAtEndBytes / MB, 1),
        durationMs: Math.round(s.durationMs),
        MBps: round(input.bytes / MB / (s.durationMs / 1000), 1),
      });
      log(`  transform, MaxConcurrentTransforms ${mct}: peak RSS ${fixed(peakRssMB, 1)} MB (+${fixed(peakRssMB - idleMB, 1)} over idle; polled ${fixed(run.peakRssBytes / MB, 1)} MB), ${fixed(s.durationMs / 1000, 1)} s`);
      // Free the disk before the next run.
      await rm(outDir, { recursive: true, force: true });
    }
    const worst = Math.max(...runs.map((r) => r.peakRssMB));
    const pass = verdict(worst, TARGET);
    log(`  peak RSS ${fixed(worst, 1)} MB for ${sizeText(input.bytes)} (idle ${fixed(idleMB, 1)} MB)   target ≤ ${TARGET.value} MB  ${passText(pass)}`);
    return {
      name: 'memory',
      title: 'memory: peak RSS of a child transforming a large object, in-process identity model',
      target: TARGET,
      value: round(worst, 1),
      pass,
      figures: {
        inputBytes: input.bytes,
        inputLines: input.lines,
        request: { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: 6, assembleWith: 'Line' },
        idlePeakRssMB: round(idleMB, 1),
        runs,
        worstPeakRssMB: round(worst, 1),
        overIdleMB: round(worst - idleMB, 1),
      },
      notes: [`MB = ${MB} bytes; peak RSS = the child's VmHWM (/proc/self/status) read by the child at the end; the headline is the worst over MaxConcurrentTransforms ${concurrencies().join(', ')}`],
      durationS: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await dir.remove();
  }
}
