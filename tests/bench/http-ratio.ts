/**
 * HTTP ratio: the whole `sluice transform` command (a child process: start-up, listing, reading,
 * invoking, writing, complete) against the reference echo model, vs a bare load generator in this
 * process (undici Pool, 4 connections, 4 requests in flight) POSTing the same 1 MB mini-batches,
 * cut at line boundaries and built in memory before timing, to the same server. The echo server's
 * own cost is in both.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import {
  benchRuns,
  benchScale,
  cliPath,
  fileUri,
  fixed,
  lastJsonLine,
  log,
  mbps,
  passText,
  round,
  runNode,
  sameFile,
  scratchDir,
  settle,
  sizeText,
  verdict,
  writeLineFile,
  MB,
  MiB,
  type ScenarioResult,
  type Target,
} from './bench-support.js';

const TARGET: Target = { metric: 'sluice transform MB/s ÷ bare load generator MB/s', op: '>=', value: 0.5 };
const IN_FLIGHT = 4;
const MAX_PAYLOAD_MB = 1;
const CONTENT_TYPE = 'text/plain';

interface CliSummary {
  status: string;
  records: number;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  failureReason?: string;
}

interface CliPass {
  wallMs: number;
  engineMs: number;
  peakRssBytes: number;
}

export async function httpRatio(): Promise<ScenarioResult> {
  const started = performance.now();
  const scale = benchScale();
  const runs = benchRuns();
  const dir = await scratchDir('http', { inMemory: true, bytesNeeded: 2 * 600e6 * scale });
  let echo: RunningModelServer | undefined;
  try {
    log(`generating ${sizeText(600e6 * scale)} of ~1 KB lines...`);
    const inDir = join(dir.path, 'in');
    const input = await writeLineFile(join(inDir, 'data.txt'), { bytes: Math.round(600e6 * scale), minLine: 900, maxLine: 1100, seed: 2 });
    log(`  ${sizeText(input.bytes)}, ${input.lines.toLocaleString('en-US')} lines (${dir.medium})`);

    // The generator's mini-batches: as many whole lines as fit in MaxPayloadInMB, as the engine packs them.
    const data = await readFile(input.path);
    const batches = cutBatches(data, MAX_PAYLOAD_MB * MiB);
    log(`  ${batches.length} mini-batches of up to ${MAX_PAYLOAD_MB} MiB built in memory`);

    echo = await startModelServer('echo');
    const url = echo.url;

    const generator = async (): Promise<number> => {
      const pool = new Pool(url, { connections: IN_FLIGHT, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
      const t0 = performance.now();
      let next = 0;
      let received = 0;
      const lane = async () => {
        while (next < batches.length) {
          const body = batches[next++]!;
          const response = await pool.request({ method: 'POST', path: '/invocations', headers: { 'content-type': CONTENT_TYPE }, body });
          for await (const chunk of response.body as AsyncIterable<Buffer>) received += chunk.length;
          if (response.statusCode !== 200) throw new Error(`echo answered ${response.statusCode}`);
        }
      };
      try {
        await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      } finally {
        await pool.close();
      }
      const ms = performance.now() - t0;
      if (received !== input.bytes) throw new Error(`load generator got ${received} bytes back, expected ${input.bytes}`);
      return ms;
    };

    const outDir = join(dir.path, 'out');
    const cli = async (): Promise<CliPass> => {
      await rm(outDir, { recursive: true, force: true });
      const run = await runNode([
        cliPath,
        'transform',
        '--input', fileUri(inDir + '/'),
        '--output', fileUri(outDir + '/'),
        '--model-url', url,
        '--split-type', 'Line',
        '--strategy', 'MultiRecord',
        '--max-payload', String(MAX_PAYLOAD_MB),
        '--max-concurrent-transforms', String(IN_FLIGHT),
        '--assemble-with', 'Line',
        '--content-type', CONTENT_TYPE,
        '--json',
        '--quiet',
      ]);
      if (run.code !== 0) throw new Error(`sluice transform exited with ${run.code ?? run.signal}:\n${run.stderr.slice(-2000)}${run.stdout.slice(-2000)}`);
      const summary = lastJsonLine<CliSummary>(run.stdout);
      if (summary.status !== 'Completed' || summary.bytesOut !== input.bytes || summary.records !== input.lines) {
        throw new Error(`sluice transform: ${summary.status}, ${summary.records} records, ${summary.bytesOut} bytes out (expected ${input.lines}, ${input.bytes}) ${summary.failureReason ?? ''}`);
      }
      return { wallMs: run.wallMs, engineMs: summary.durationMs, peakRssBytes: run.peakRssBytes };
    };

    log(`warm-up (one pass each), then best of ${runs}...`);
    await generator();
    await settle();
    await cli();
    await settle();
    const generatorMs: number[] = [];
    const cliPasses: CliPass[] = [];
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 === 0 ? (['generator', 'sluice'] as const) : (['sluice', 'generator'] as const)) {
        if (side === 'generator') {
          const ms = await generator();
          generatorMs.push(ms);
          log(`  generator ${fixed(mbps(input.bytes, ms))} MB/s (${fixed(ms / 1000, 2)} s)`);
        } else {
          const pass = await cli();
          cliPasses.push(pass);
          log(`  sluice    ${fixed(mbps(input.bytes, pass.wallMs))} MB/s (${fixed(pass.wallMs / 1000, 2)} s wall, ${fixed(pass.engineMs / 1000, 2)} s in runTransform, peak RSS ${fixed(pass.peakRssBytes / MB, 0)} MB)`);
        }
        await settle();
      }
    }
    const identical = await sameFile(input.path, join(outDir, 'data.txt.out'));
    if (!identical) throw new Error('the CLI output differs from its input (echo model)');
    const stats = await echo.stats();

    const generatorMBps = mbps(input.bytes, Math.min(...generatorMs));
    const bestCli = cliPasses.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const cliMBps = mbps(input.bytes, bestCli.wallMs);
    const engineMBps = mbps(input.bytes, Math.min(...cliPasses.map((p) => p.engineMs)));
    const ratio = cliMBps / generatorMBps;
    const pass = verdict(ratio, TARGET);
    log(`  generator ${fixed(generatorMBps)} MB/s   sluice transform ${fixed(cliMBps)} MB/s   ratio ${fixed(ratio, 2)} (target ≥ ${TARGET.value})  ${passText(pass)}`);
    log(`  inside the CLI (runTransform only, no start-up): ${fixed(engineMBps)} MB/s, ratio ${fixed(engineMBps / generatorMBps, 2)}; start-up and exit ≈ ${fixed((bestCli.wallMs - bestCli.engineMs) / 1000, 2)} s`);
    return {
      name: 'http',
      title: 'HTTP ratio: sluice transform (child process) vs bare undici load generator, echo model',
      target: TARGET,
      value: round(ratio),
      pass,
      figures: {
        inputBytes: input.bytes,
        inputLines: input.lines,
        lineBytes: '900-1100',
        miniBatches: batches.length,
        maxPayloadInMB: MAX_PAYLOAD_MB,
        inFlight: IN_FLIGHT,
        runs,
        generatorMBps: round(generatorMBps, 1),
        sluiceMBps: round(cliMBps, 1),
        ratio: round(ratio),
        sluiceRunTransformMBps: round(engineMBps, 1),
        ratioRunTransformOnly: round(engineMBps / generatorMBps),
        startupAndExitMs: Math.round(bestCli.wallMs - bestCli.engineMs),
        sluicePeakRssMB: round(Math.max(...cliPasses.map((p) => p.peakRssBytes)) / MB, 1),
        generatorPassesMs: generatorMs.map(Math.round),
        sluicePassesWallMs: cliPasses.map((p) => Math.round(p.wallMs)),
        sluicePassesRunTransformMs: cliPasses.map((p) => Math.round(p.engineMs)),
        echoServer: { requests: stats.requests, maxConcurrent: stats.maxConcurrent, invocationSockets: stats.invocationSockets },
        dataMedium: dir.medium,
        outputVerified: identical,
      },
      notes: [
        `MB = ${MB} bytes; best of ${runs} after a warm-up, alternating sides`,
        'sluice side: wall time of `node apps/cli/bin/sluice.js transform ... --json` (tsx start-up, model /ping, listing, output fsync included)',
      ],
      durationS: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await echo?.stop();
    await dir.remove();
  }
}

/** Consecutive whole lines, as many as fit in `maxBytes` each (views of `data`, no copies). */
function cutBatches(data: Buffer, maxBytes: number): Buffer[] {
  const batches: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let end = start + maxBytes >= data.length ? data.length : data.lastIndexOf(0x0a, start + maxBytes - 1) + 1;
    if (end <= start) throw new Error(`a line at byte ${start} is over ${maxBytes} bytes`);
    if (end > data.length) end = data.length;
    batches.push(data.subarray(start, end));
    start = end;
  }
  return batches;
}
