/**
 * Scenario `first`: create → first invocation with warm, idle workers.
 *
 * Two worker processes are running and idle; an echo model is served inside this process, so the
 * moment its first POST /invocations arrives is read with performance.now() on the same clock as
 * the moment createJob was called. Jobs (one small object each) are created one after another,
 * each waiting for completion and then a short idle gap, and the headline is the p50 of
 * createJob-call-start → first invocation. Each job has its own model URL (path prefix), so the
 * /ping of the planner and the /execution-parameters of the first task are timed too: where the
 * time goes between the create call and the first record.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createJob, createModel, LOCAL_ACTOR } from '@sluice/core';
import {
  cpuBetween,
  cpuSample,
  envInt,
  expectCompleted,
  loadNote,
  log,
  ms,
  passText,
  percentile,
  round,
  scratchDir,
  sleep,
  startAll,
  startBenchService,
  startEchoServer,
  stopResource,
  verdict,
  waitForJob,
  type BenchService,
  type EchoServer,
  type ScenarioResult,
  type ScratchDir,
  type Target,
} from './harness.js';

const TARGET: Target = { metric: 'p50 createJob call → first POST /invocations (ms)', op: '<=', value: 1000, source: 'brief' };

export async function firstInvocation(): Promise<ScenarioResult> {
  const started = performance.now();
  const jobs = envInt('BENCH_FIRST_JOBS', 20);
  const idleGapMs = envInt('BENCH_FIRST_IDLE_MS', 1000);
  const notes: string[] = [loadNote()];
  const [service, echo, dir] = await startAll<[BenchService, EchoServer, ScratchDir]>([startBenchService({ workers: 2, concurrency: 2 }), startEchoServer(), scratchDir('first')], stopResource);
  try {
    log(`  2 workers × 2 slots up; ${jobs} jobs of one 20-line object each, created one after another (idle ${idleGapMs} ms between)`);
    // Let the workers settle into idle polling before the first job.
    await sleep(2000);
    const cpu0 = cpuSample(service);
    const rows: Array<{ job: number; createCallMs: number; toPingMs: number; toExecParamsMs: number; toFirstInvocationMs: number; toCompletedMs: number; dbToPlannedMs: number | null; dbToEndMs: number | null }> = [];
    for (let i = 1; i <= jobs; i++) {
      const tag = `first-${i}`;
      const root = join(dir.path, tag);
      await mkdir(join(root, 'in'), { recursive: true });
      await writeFile(join(root, 'in', 'small.txt'), Array.from({ length: 20 }, (_, j) => `job ${i} record ${j}\n`).join(''));
      await createModel(service.core, LOCAL_ACTOR, { name: tag, kind: 'http', url: echo.urlFor(tag) });

      const t0 = performance.now();
      await createJob(service.core, LOCAL_ACTOR, {
        name: tag,
        modelName: tag,
        input: { uri: `file://${root}/in/` },
        output: { uri: `file://${root}/out/` },
        // No MaxConcurrentTransforms or MaxPayloadInMB: a newcomer's job, so the first task also
        // asks the model's /execution-parameters (this model has none: SageMaker's defaults).
        transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/plain' },
        instanceCount: 1,
      });
      const createCallMs = performance.now() - t0;
      const done = await waitForJob(service.core, tag, { timeoutMs: 60_000, pollMs: 10 });
      expectCompleted(tag, done, service);
      const e = echo.events(tag);
      if (e.invocations.length === 0) throw new Error(`job ${tag} completed without invoking the model`);
      const row = {
        job: i,
        createCallMs: round(createCallMs),
        toPingMs: round((e.pings[0] ?? NaN) - t0),
        toExecParamsMs: round((e.executionParameters[0] ?? NaN) - t0),
        toFirstInvocationMs: round(e.invocations[0]! - t0),
        toCompletedMs: round(done.seenAt - t0),
        dbToPlannedMs: done.dbCreateToPlannedMs === null ? null : round(done.dbCreateToPlannedMs),
        dbToEndMs: done.dbCreateToEndMs === null ? null : round(done.dbCreateToEndMs),
      };
      rows.push(row);
      log(
        `  job ${String(i).padStart(2)}: create call ${ms(row.createCallMs).padStart(6)}, → ping ${ms(row.toPingMs).padStart(6)}, → exec-params ${ms(row.toExecParamsMs).padStart(6)}, → first invocation ${ms(row.toFirstInvocationMs).padStart(6)}, → Completed seen ${ms(row.toCompletedMs).padStart(6)}`,
      );
      await sleep(idleGapMs);
    }

    const cpu = cpuBetween(cpu0, cpuSample(service));
    if ((cpu.otherLoadCores ?? 0) > 0.3) notes.push(`other processes kept ${cpu.otherLoadCores} cores busy meanwhile: latencies are noisier`);
    const series = (key: keyof (typeof rows)[number]) => rows.map((r) => r[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const stats = (key: keyof (typeof rows)[number]) => {
      const v = series(key);
      return { p50: round(percentile(v, 50)), p90: round(percentile(v, 90)), max: round(Math.max(...v)), min: round(Math.min(...v)) };
    };
    const first = stats('toFirstInvocationMs');
    const figures = {
      jobs,
      idleGapMs,
      workers: 2,
      slotsPerWorker: 2,
      workerEnv: service.workerEnv,
      createToFirstInvocationMs: first,
      createCallMs: stats('createCallMs'),
      createToPingMs: stats('toPingMs'),
      createToExecutionParametersMs: stats('toExecParamsMs'),
      createToCompletedSeenMs: stats('toCompletedMs'),
      dbCreateToPlannedMs: stats('dbToPlannedMs'),
      dbCreateToEndMs: stats('dbToEndMs'),
      cpu,
      perJob: rows,
    };
    log(`  create → first invocation: p50 ${ms(first.p50)}, p90 ${ms(first.p90)}, max ${ms(first.max)} (min ${ms(first.min)})`);
    log(`  phases (p50): create call ${ms(figures.createCallMs.p50)}, → planner's ping ${ms(figures.createToPingMs.p50)}, → first task's exec-params ${ms(figures.createToExecutionParametersMs.p50)}, → first invocation ${ms(first.p50)}, → Completed seen ${ms(figures.createToCompletedSeenMs.p50)}`);
    const pass = verdict(first.p50, TARGET);
    log(`  ${passText(pass)}  p50 ${ms(first.p50)} (target ${TARGET.op} ${TARGET.value} ms)`);
    return { name: 'first', title: 'Create → first invocation with warm, idle workers', target: TARGET, value: first.p50, pass, figures, notes, durationS: round((performance.now() - started) / 1000) };
  } finally {
    await Promise.allSettled([service.stop(), echo.stop()]);
    await dir.remove();
  }
}
