/**
 * Diagnostic (not part of `bench:service`): does the cost of scheduling one task grow with the
 * job's size? Plans jobs of N tiny objects against an empty fleet, then times `claimTask` and
 * `finishTask` (with a made-up Completed outcome: no engine, no model) for the first tasks of
 * each, one handler at a time, and prints the server's plan for the claim's statements.
 *
 *   npx tsx --conditions=@sluice/source tests/bench/service/claim-scaling.ts [sizes=1000,10000,40000] [pairs=200]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claimTask, createJob, createModel, finishTask, LOCAL_ACTOR, planJob } from '@sluice/core';
import { log, percentile, round, scratchDir, startBenchService, startEchoServer, stopDatabaseServer } from './harness.js';

const sizes = (process.argv[2] ?? '1000,10000,40000').split(',').map(Number);
const pairs = Number(process.argv[3] ?? 200);

const service = await startBenchService({ workers: 0 });
const echo = await startEchoServer();
const dir = await scratchDir('claims');
try {
  await createModel(service.core, LOCAL_ACTOR, { name: 'echo', kind: 'http', url: echo.urlFor('claims') });
  for (const size of sizes) {
    const input = join(dir.path, `in-${size}`);
    await mkdir(input, { recursive: true });
    for (let o = 0; o < size; o += 500) await Promise.all(Array.from({ length: Math.min(500, size - o) }, (_, k) => writeFile(join(input, `p-${String(o + k).padStart(6, '0')}.txt`), 'x\n')));
    const name = `claims-${size}`;
    await createJob(service.core, LOCAL_ACTOR, { name, modelName: 'echo', input: { uri: `file://${input}/` }, output: { uri: `file://${dir.path}/out-${size}/` }, transform: { splitType: 'Line' }, instanceCount: 2 });
    const jobId = (await service.core.sql<Array<{ id: string }>>`select id from transform_jobs where name = ${name}`)[0]!.id;
    const p0 = performance.now();
    await planJob(service.core, jobId);
    const planMs = performance.now() - p0;
    const claims: number[] = [];
    const finishes: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const a = performance.now();
      const claimed = await claimTask(service.core, jobId, 'bench:claims');
      const b = performance.now();
      if (!claimed) throw new Error('nothing to claim');
      await finishTask(service.core, claimed, 'bench:claims', { status: 'Completed', records: 1, recordsFailed: 0, bytesIn: 2, bytesOut: 2 });
      claims.push(b - a);
      finishes.push(performance.now() - b);
    }
    const mean = (v: number[]) => round(v.reduce((x, y) => x + y, 0) / v.length, 2);
    log(`${size} tasks: plan ${Math.round(planMs)} ms; claim mean ${mean(claims)} ms (p50 ${round(percentile(claims, 50), 2)}), finish mean ${mean(finishes)} ms (p50 ${round(percentile(finishes, 50), 2)}) over ${pairs} tasks`);
    const explain = async (label: string, query: Promise<Array<Record<string, string>>>) => {
      const rows = await query;
      const text = rows.map((r) => Object.values(r)[0]).join('\n');
      const time = /Execution Time: ([\d.]+) ms/.exec(text)?.[1];
      const scanned = [...text.matchAll(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/g)].map((m) => Number(m[1]));
      log(`  ${label.padEnd(34)} ${time} ms on the server (largest node: ${Math.max(...scanned)} rows)`);
      if (process.env.SHOW_PLANS) log(text.replace(/^/gm, '      '));
    };
    const sql = service.core.sql;
    await sql.begin(async (tx) => {
      await explain('claim: count running', tx`explain analyze select count(*)::int as running from tasks where job_id = ${jobId} and status = 'Running' and lease_expires_at > now()` as never);
      await explain('claim: pick next (for update)', tx`explain analyze select t.id from tasks t
        where t.job_id = ${jobId} and t.run = 1
          and (t.status = 'Pending' or (t.status = 'Running' and t.lease_expires_at <= now() and t.attempts < 3))
          and (t.kind = 'transform' or not exists (
            select 1 from tasks s where s.object_id = t.object_id and s.run = t.run and s.kind = 'transform' and s.status <> 'Completed'))
        order by (t.kind = 'assemble') desc, t.id
        limit 1
        for update skip locked` as never);
      await explain('finish: count remaining', tx`explain analyze select count(*)::int as remaining from tasks where job_id = ${jobId} and run = 1 and status in ('Pending', 'Running')` as never);
      await tx`rollback`.catch(() => undefined);
    }).catch(() => undefined);
  }
} finally {
  await Promise.allSettled([service.stop(), echo.stop()]);
  await dir.remove();
  await stopDatabaseServer();
}
