/**
 * Scenario `shard`: one large Line object, sharded vs not, on 2 workers × 2 slots.
 *
 * The model is the reference model in `latency` mode (a child process; echo with a fixed service
 * time per request and room for many at once), so the work is bound by the model's latency, as
 * with a real model, rather than by the disk. Each task keeps MaxConcurrentTransforms 2 requests
 * of at most MaxPayloadInMB 1 in flight. Without sharding the object is one task: 2 requests in
 * flight for the whole job. With shardSizeMB = size/8 it is 8 shard tasks (InstanceCount 4 of them
 * at once) and one assembly task. Both outputs are hashed: they must be byte-identical to each
 * other and, the model being an echo, to the input.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createJob, createModel, LOCAL_ACTOR } from '@sluice/core';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import {
  benchScale,
  cpuBetween,
  cpuSample,
  envInt,
  expectCompleted,
  loadNote,
  log,
  MiB,
  ms,
  passText,
  round,
  scratchDir,
  sha256File,
  sleep,
  startAll,
  startBenchService,
  taskTimings,
  stopResource,
  verdict,
  waitForJob,
  type BenchService,
  type ScenarioResult,
  type ScratchDir,
  type Target,
} from './harness.js';

// 2 workers × 2 slots; BENCH_WORKERS / BENCH_WORKER_SLOTS change them for diagnostics only.
const WORKERS = envInt('BENCH_WORKERS', 2);
const SLOTS = envInt('BENCH_WORKER_SLOTS', 2);
const INSTANCE_COUNT = 4;
const SHARDS = 8;
const MAX_CONCURRENT = 2;
const PAYLOAD_MB = 1;

const TARGET: Target = {
  metric: 'speed-up = t_unsharded / t_sharded (InstanceCount 4, 8 shards, latency-bound model)',
  op: '>=',
  value: 2.5,
  source: 'proposed by this benchmark: 4 tasks at once give at most 4×; ≥ 2.5× leaves room for the assembly pass and the two waves of shards',
};

export async function sharding(): Promise<ScenarioResult> {
  const started = performance.now();
  const targetBytes = Math.round(320 * MiB * benchScale());
  const latencyMs = envInt('BENCH_SHARD_LATENCY_MS', 100);
  const runs = envInt('BENCH_SHARD_RUNS', 2);
  const notes: string[] = [loadNote()];
  // One model server per side, so each one's /stats (the most requests it saw at once) speaks of one kind of job.
  const modelEnv = { FIXED_LATENCY_MS: String(latencyMs), CAPACITY: '1000' };
  const [service, model, shardModel, dir] = await startAll<[BenchService, RunningModelServer, RunningModelServer, ScratchDir]>(
    [startBenchService({ workers: WORKERS, concurrency: SLOTS }), startModelServer('latency', modelEnv), startModelServer('latency', modelEnv), scratchDir('shard')],
    stopResource,
  );
  try {
    const input = join(dir.path, 'in', 'big.txt');
    const t = performance.now();
    const { bytes, lines } = await writeBigLineFile(input, targetBytes);
    const inputHash = await sha256File(input);
    const shardSizeMB = Math.ceil(bytes / MiB / SHARDS);
    const shards = Math.ceil(bytes / (shardSizeMB * MiB));
    log(`  input: ${(bytes / 1e6).toFixed(1)} MB, ${lines.toLocaleString('en-US')} lines (written and hashed in ${ms(performance.now() - t)})`);
    log(`  model: reference 'latency' (${latencyMs} ms per request, capacity 1000); MaxPayloadInMB ${PAYLOAD_MB}, MaxConcurrentTransforms ${MAX_CONCURRENT}; ${WORKERS} workers × ${SLOTS} slots`);
    log(`  sharded: shardSizeMB ${shardSizeMB} → ${shards} shards, InstanceCount ${INSTANCE_COUNT}; unsharded: one task`);
    await createModel(service.core, LOCAL_ACTOR, { name: 'slow-echo', kind: 'http', url: model.url });
    await createModel(service.core, LOCAL_ACTOR, { name: 'slow-echo-2', kind: 'http', url: shardModel.url });
    await sleep(1000);

    const wholeRuns: number[] = [];
    const cpu: Array<{ run: number; unsharded: ReturnType<typeof cpuBetween>; sharded: ReturnType<typeof cpuBetween> }> = [];
    const shardedRuns: number[] = [];
    let shardedTasks: Awaited<ReturnType<typeof taskTimings>> | undefined;
    let identical = true;
    const hashes: Record<string, string> = { input: inputHash };
    for (let run = 1; run <= runs; run++) {
      const whole = await runJob(service, model.pid, 'slow-echo', `whole-${run}`, dir.path, { shardSizeMB: 1_000_000 });
      log(`  run ${run}: unsharded ${ms(whole.wallMs)} (db ${ms(whole.dbMs)})`);
      const sharded = await runJob(service, shardModel.pid, 'slow-echo-2', `sharded-${run}`, dir.path, { shardSizeMB });
      log(`  run ${run}: sharded   ${ms(sharded.wallMs)} (db ${ms(sharded.dbMs)}) → speed-up ${(whole.wallMs / sharded.wallMs).toFixed(2)}×`);
      wholeRuns.push(whole.wallMs);
      shardedRuns.push(sharded.wallMs);
      cpu.push({ run, unsharded: whole.cpu, sharded: sharded.cpu });
      log(`  run ${run}: CPU unsharded ${ms(whole.cpu.totalMs)} (${whole.cpu.coresBusy} cores busy; others ${whole.cpu.otherLoadCores ?? '?'}), sharded ${ms(sharded.cpu.totalMs)} (${sharded.cpu.coresBusy} cores busy; others ${sharded.cpu.otherLoadCores ?? '?'})`);
      if ((whole.cpu.otherLoadCores ?? 0) > 0.3 || (sharded.cpu.otherLoadCores ?? 0) > 0.3) notes.push(`run ${run}: other processes kept cores busy (unsharded ${whole.cpu.otherLoadCores}, sharded ${sharded.cpu.otherLoadCores}): noisier`);
      const [hw, hs] = await Promise.all([sha256File(whole.output), sha256File(sharded.output)]);
      hashes[`unsharded-${run}`] = hw;
      hashes[`sharded-${run}`] = hs;
      if (hw !== hs || hw !== inputHash) identical = false;
      shardedTasks = await taskTimings(service.core, `sharded-${run}`);
      await Promise.all([rm(join(dir.path, `whole-${run}`), { recursive: true, force: true }), rm(join(dir.path, `sharded-${run}`), { recursive: true, force: true })]);
    }
    const [wholeStats, shardedStats] = await Promise.all([model.stats(), shardModel.stats()]);
    const whole = Math.min(...wholeRuns);
    const sharded = Math.min(...shardedRuns);
    const speedUp = whole / sharded;
    const requests = Math.ceil(bytes / (PAYLOAD_MB * MiB));
    // What the model's latency alone allows: requests × latency / requests in flight.
    const latencyFloorWholeMs = (requests * latencyMs) / MAX_CONCURRENT;
    const latencyFloorShardedMs = (requests * latencyMs) / (MAX_CONCURRENT * Math.min(INSTANCE_COUNT, shards));
    const figures = {
      bytes,
      lines,
      shards,
      shardSizeMB,
      instanceCount: INSTANCE_COUNT,
      workers: WORKERS,
      slotsPerWorker: SLOTS,
      workerEnv: service.workerEnv,
      model: { mode: 'latency', fixedLatencyMs: latencyMs, capacity: 1000, maxPayloadInMB: PAYLOAD_MB, maxConcurrentTransforms: MAX_CONCURRENT },
      unshardedMs: round(whole),
      shardedMs: round(sharded),
      unshardedRunsMs: wholeRuns.map((v) => round(v)),
      shardedRunsMs: shardedRuns.map((v) => round(v)),
      speedUp: round(speedUp, 2),
      idealSpeedUp: Math.min(INSTANCE_COUNT, shards),
      efficiency: round(speedUp / Math.min(INSTANCE_COUNT, shards), 2),
      approxRequests: requests,
      latencyFloorUnshardedMs: round(latencyFloorWholeMs),
      latencyFloorShardedMs: round(latencyFloorShardedMs),
      unshardedMBps: round(bytes / 1e6 / (whole / 1000), 1),
      shardedMBps: round(bytes / 1e6 / (sharded / 1000), 1),
      shardedTasks,
      /**
       * The most invocations the model had in flight at once. Each task may keep
       * MaxConcurrentTransforms in flight (DESIGN: "invoke (MaxConcurrentTransforms in flight)"),
       * so the sharded job could reach MaxConcurrentTransforms × min(InstanceCount, shards).
       */
      modelMaxInFlight: { unsharded: wholeStats.maxConcurrent, sharded: shardedStats.maxConcurrent, shardedPossible: MAX_CONCURRENT * Math.min(INSTANCE_COUNT, shards) },
      /** CPU while each job ran: workers, PostgreSQL, this process, the model server. */
      cpu,
      outputsByteIdentical: identical,
      sha256: hashes,
    };
    log(`  unsharded ${ms(whole)} (${figures.unshardedMBps} MB/s; latency floor ${ms(latencyFloorWholeMs)}), sharded ${ms(sharded)} (${figures.shardedMBps} MB/s; floor ${ms(latencyFloorShardedMs)})`);
    log(`  speed-up ${speedUp.toFixed(2)}× of an ideal ${figures.idealSpeedUp}× (efficiency ${figures.efficiency}); sharded tasks: ${shardedTasks?.tasks} on ${shardedTasks?.workersUsed} workers, p50 ${ms(shardedTasks?.taskP50Ms ?? NaN)}, max ${ms(shardedTasks?.taskMaxMs ?? NaN)}`);
    log(`  model in flight at most: unsharded ${wholeStats.maxConcurrent}, sharded ${shardedStats.maxConcurrent} (MaxConcurrentTransforms ${MAX_CONCURRENT} × ${Math.min(INSTANCE_COUNT, shards)} tasks would allow ${MAX_CONCURRENT * Math.min(INSTANCE_COUNT, shards)}); assembly ${ms(shardedTasks?.assembleMs ?? NaN)}`);
    if (shardedStats.maxConcurrent < MAX_CONCURRENT * Math.min(INSTANCE_COUNT, shards)) {
      notes.push(`the sharded job never had more than ${shardedStats.maxConcurrent} invocations in flight, of the ${MAX_CONCURRENT * Math.min(INSTANCE_COUNT, shards)} its ${Math.min(INSTANCE_COUNT, shards)} running tasks may each keep ${MAX_CONCURRENT} of: tasks of one job on one worker share one HTTP pool of MaxConcurrentTransforms connections (packages/worker/src/model-runtime.ts)`);
    }
    log(`  outputs: ${identical ? 'byte-identical (sha256 equal: sharded = unsharded = input, the model being an echo)' : 'DIFFER: see sha256 in the JSON'}`);
    if (!identical) notes.push('the sharded and unsharded outputs differ: this is a correctness bug, the speed-up does not count');
    const pass = identical && verdict(speedUp, TARGET);
    log(`  ${passText(pass)}  speed-up ${speedUp.toFixed(2)}× (target ${TARGET.op} ${TARGET.value}×${identical ? '' : ', and identical outputs'})`);
    return { name: 'shard', title: 'Sharding speed-up on one large Line object', target: TARGET, value: round(speedUp, 2), pass, figures, notes, durationS: round((performance.now() - started) / 1000) };
  } finally {
    await Promise.allSettled([service.stop(), model.stop(), shardModel.stop()]);
    await dir.remove();
  }
}

async function runJob(service: BenchService, modelPid: number, modelName: string, name: string, root: string, { shardSizeMB }: { shardSizeMB: number }) {
  const output = join(root, name);
  await mkdir(output, { recursive: true });
  const cpu0 = cpuSample(service, [modelPid]);
  const t0 = performance.now();
  await createJob(service.core, LOCAL_ACTOR, {
    name,
    modelName,
    input: { uri: `file://${root}/in/` },
    output: { uri: `file://${output}/` },
    transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/plain', batchStrategy: 'MultiRecord', maxPayloadInMB: PAYLOAD_MB, maxConcurrentTransforms: MAX_CONCURRENT },
    instanceCount: INSTANCE_COUNT,
    shardSizeMB,
  });
  const done = await waitForJob(service.core, name, { timeoutMs: 600_000, pollMs: 25 });
  const cpu = cpuBetween(cpu0, cpuSample(service, [modelPid]));
  expectCompleted(name, done, service);
  const out = join(output, 'big.txt.out');
  await stat(out);
  await sleep(1000);
  return { wallMs: done.seenAt - t0, dbMs: done.dbCreateToEndMs ?? NaN, output: out, cpu };
}

/**
 * A file of ~`target` bytes of text lines, each unique (it carries its number) and 40–160 bytes
 * long (a deterministic PRNG), so a shard put in the wrong place would change the output's hash.
 */
async function writeBigLineFile(path: string, target: number): Promise<{ bytes: number; lines: number }> {
  await mkdir(join(path, '..'), { recursive: true });
  const out = createWriteStream(path, { highWaterMark: 8 * MiB });
  const filler = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.repeat(4);
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  let bytes = 0;
  let lines = 0;
  while (bytes < target) {
    const parts: string[] = [];
    let chunk = 0;
    while (chunk < 4 * MiB && bytes + chunk < target) {
      const head = `${lines} `;
      const length = 40 + (next() % 121);
      const start = next() % 64;
      const body = head + filler.slice(start, start + Math.max(1, length - head.length - 1)) + '\n';
      parts.push(body);
      chunk += body.length;
      lines++;
    }
    bytes += chunk;
    if (!out.write(parts.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes: (await stat(path)).size, lines };
}
