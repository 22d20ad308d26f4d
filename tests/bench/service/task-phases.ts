/**
 * Diagnostic (not part of `bench:service`): where one small task's time goes. Plans a job of N
 * small objects against an empty fleet, then runs its tasks in this process with the same calls a
 * worker's handler makes (core.claimTask → engine task via the worker's run-task → telemetry
 * flush → core.finishTask), timing each phase, with `slots` handlers at once.
 *
 *   npx tsx --conditions=@sluice/source tests/bench/service/task-phases.ts [objects=300] [slots=1,2]
 *
 * With one slot it also counts the SQL statements each phase sends (postgres.js's debug hook on a
 * core of its own). It imports the worker's run-task module by path (it is not exported): a
 * diagnostic of the product, reading it, not changing it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { claimTask, createJob, createModel, finishTask, LOCAL_ACTOR, planJob, type Core, type TaskOutcome } from '@sluice/core';
import { schema } from '@sluice/db';
import { createHttpTransport } from '@sluice/engine';
import { Telemetry } from '@sluice/worker';
import { runTransformTask } from '../../../packages/worker/src/run-task.js';
import { log, percentile, round, scratchDir, startBenchService, startEchoServer, stopDatabaseServer } from './harness.js';

const objects = Number(process.argv[2] ?? 300);
const slotsList = (process.argv[3] ?? '1,2').split(',').map(Number);

const service = await startBenchService({ workers: 0 });
// The same core, over a client that counts the statements it sends (postgres.js's debug hook).
let statements = 0;
const counting = postgres(service.database.url, { max: 8, onnotice: () => {}, debug: () => void statements++ });
const core: Core = { ...service.core, db: drizzle(counting, { schema }), sql: counting };
const echo = await startEchoServer();
const dir = await scratchDir('phases');
try {
  const input = join(dir.path, 'in');
  await mkdir(input, { recursive: true });
  for (let o = 0; o < objects; o++) await writeFile(join(input, `p-${String(o).padStart(5, '0')}.txt`), `object ${o}\n`.repeat(100));
  await createModel(core, LOCAL_ACTOR, { name: 'echo', kind: 'http', url: echo.urlFor('phases') });
  const transport = createHttpTransport(echo.urlFor('phases'), { connections: 4 });
  for (const slots of slotsList) {
    const name = `phases-${slots}`;
    const job = await createJob(core, LOCAL_ACTOR, {
      name,
      modelName: 'echo',
      input: { uri: `file://${input}/` },
      output: { uri: `file://${dir.path}/${name}/` },
      transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/plain', batchStrategy: 'MultiRecord', maxPayloadInMB: 6, maxConcurrentTransforms: 2 },
      instanceCount: slots,
    });
    const jobId = (await core.sql<Array<{ id: string }>>`select id from transform_jobs where name = ${job.name}`)[0]!.id;
    await planJob(core, jobId);
    const phases: Record<string, number[]> = { claim: [], transform: [], flush: [], finish: [], total: [] };
    const counts: Record<string, number> = { claim: 0, transform: 0, flush: 0, finish: 0 };
    const workerId = `bench:${process.pid}:phases`;
    const telemetry = new Telemetry(core, workerId);
    const t0 = performance.now();
    const handler = async () => {
      for (;;) {
        const a = performance.now();
        let n = statements;
        const claimed = await claimTask(core, jobId, workerId);
        const b = performance.now();
        if (!claimed) return;
        if (slots === 1) counts.claim! += statements - n;
        n = statements;
        const outcome: TaskOutcome = await runTransformTask(core, claimed, transport, telemetry.observer(jobId, claimed.task.id), new AbortController().signal);
        const c = performance.now();
        if (slots === 1) counts.transform! += statements - n;
        n = statements;
        telemetry.taskEnded(claimed.task.id);
        await telemetry.flush();
        const d = performance.now();
        if (slots === 1) counts.flush! += statements - n;
        n = statements;
        await finishTask(core, claimed, workerId, outcome);
        const e = performance.now();
        if (slots === 1) counts.finish! += statements - n;
        phases.claim!.push(b - a);
        phases.transform!.push(c - b);
        phases.flush!.push(d - c);
        phases.finish!.push(e - d);
        phases.total!.push(e - a);
      }
    };
    await Promise.all(Array.from({ length: slots }, handler));
    const wall = performance.now() - t0;
    log(`${slots} slot${slots > 1 ? 's' : ''}: ${objects} tasks in ${Math.round(wall)} ms = ${round(wall / objects, 2)} ms per task fleet-wide (${round(objects / (wall / 1000), 1)} tasks/s)`);
    for (const [phase, values] of Object.entries(phases)) {
      const mean = values.reduce((x, y) => x + y, 0) / values.length;
      const perTask = slots === 1 && phase in counts ? `  ${round(counts[phase]! / objects, 2)} statements per task` : '';
      log(`  ${phase.padEnd(9)} mean ${round(mean, 2).toFixed(2).padStart(6)} ms  p50 ${round(percentile(values, 50), 2).toFixed(2).padStart(6)}  p90 ${round(percentile(values, 90), 2).toFixed(2).padStart(6)}${perTask}`);
    }
  }
  await transport.close();
  await counting.end({ timeout: 5 });
} finally {
  await Promise.allSettled([service.stop(), echo.stop()]);
  await dir.remove();
  await stopDatabaseServer();
}
