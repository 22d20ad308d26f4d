/**
 * The jobs list at 10,000 jobs: a fresh database, 10,000 jobs of one model written straight into
 * transform_jobs in bulk (the benchmark is about reading the list, not creating jobs), then
 * `listJobs` — the use case the `jobs.list` tRPC procedure calls — timed ~20 times per scenario:
 *   page 1           newest first, 20 a page (the dashboard's default)
 *   page 50          the 50th page, reached by walking nextCursor; each call times the 50th page
 *   status filter    status = Failed (a fifth of the jobs)
 *   name search      nameContains, a substring in the middle of names (ILIKE '%…%')
 *   sorted by name   sortBy Name, ascending
 * It reports p50/p95 server time per page, PASS when p95 ≤ 300 ms, EXPLAIN ANALYZE of each query,
 * and writes bench-results/list.json. BENCH_JOBS changes the job count, BENCH_CALLS the calls.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { JOB_STATUSES } from '@sluice/contracts';
import { listJobs, openCore, type Actor, type Core } from '@sluice/core';
import { models, startTestDatabase, transformJobs } from '@sluice/db';
import { ensureDatabaseServer, envInt, log, machine, passText, percentile, repoRoot, round, stopDatabaseServer } from './service/harness.js';

const JOBS = envInt('BENCH_JOBS', 10_000);
const CALLS = envInt('BENCH_CALLS', 20);
const LIMIT_MS = 300;
const PAGE_SIZE = 20;
const INSERT_BATCH = 1_000;
const actor: Actor = { user: 'bench', userId: null, team: 'default', role: 'admin' };

interface Scenario {
  name: string;
  input: Record<string, unknown>;
  /** Pages to walk with nextCursor before the timed one. */
  skipPages: number;
}

const scenarios: Scenario[] = [
  { name: 'page 1', input: {}, skipPages: 0 },
  { name: 'page 50', input: {}, skipPages: 49 },
  { name: 'status filter (Failed)', input: { status: ['Failed'] }, skipPages: 0 },
  { name: 'name search ("-0042")', input: { nameContains: '-0042' }, skipPages: 0 },
  { name: 'sorted by Name', input: { sortBy: 'Name', sortOrder: 'Ascending' }, skipPages: 0 },
];

async function seed(core: Core): Promise<number> {
  const [model] = await core.db.insert(models).values({ team: actor.team, name: 'bench-model', kind: 'http', url: 'http://127.0.0.1:9', createdBy: actor.user }).returning();
  const t0 = performance.now();
  const start = Date.now() - JOBS * 60_000;
  for (let from = 0; from < JOBS; from += INSERT_BATCH) {
    const rows = Array.from({ length: Math.min(INSERT_BATCH, JOBS - from) }, (_, k) => {
      const i = from + k;
      const name = `bench-job-${String(i).padStart(5, '0')}`;
      const at = new Date(start + i * 60_000);
      return {
        team: actor.team,
        name,
        arn: `arn:aws:sagemaker:local:000000000000:transform-job/${name}`,
        modelId: model!.id,
        modelName: model!.name,
        status: JOB_STATUSES[i % JOB_STATUSES.length]!,
        dataType: 'S3Prefix',
        inputUri: `file:///tmp/bench/${name}/in/`,
        outputUri: `file:///tmp/bench/${name}/out/`,
        request: {},
        instanceCount: 1,
        pool: 'default',
        instanceType: 'ml.m5.large',
        createdBy: actor.user,
        creationTime: at,
        lastModifiedTime: at,
      };
    });
    await core.db.insert(transformJobs).values(rows);
  }
  await core.db.execute(sql`analyze transform_jobs`);
  return performance.now() - t0;
}

/** The cursor for page `skipPages + 1`, walked as the dashboard's Next button would. */
async function cursorAt(core: Core, scenario: Scenario): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let p = 0; p < scenario.skipPages; p++) {
    const page = await listJobs(core, actor, { ...scenario.input, limit: PAGE_SIZE, cursor });
    if (!page.nextCursor) throw new Error(`${scenario.name}: ran out of pages at page ${p + 1}`);
    cursor = page.nextCursor;
  }
  return cursor;
}

/**
 * EXPLAIN ANALYZE of the statement listJobs sends: the drizzle client is the postgres.js `sql`
 * the core holds, so the statement is caught at its `unsafe` call rather than rebuilt here.
 */
async function explain(core: Core, scenario: Scenario, cursor: string | undefined): Promise<string[]> {
  const client = core.sql as unknown as { unsafe: (query: string, params?: unknown[]) => unknown };
  const unsafe = client.unsafe;
  let caught: { query: string; params: unknown[] } | undefined;
  client.unsafe = (query: string, params: unknown[] = []) => {
    if (/from "transform_jobs"/.test(query)) caught = { query, params };
    return unsafe.call(client, query, params);
  };
  try {
    await listJobs(core, actor, { ...scenario.input, limit: PAGE_SIZE, cursor });
  } finally {
    client.unsafe = unsafe;
  }
  if (!caught) return ['(statement not caught)'];
  const rows = await core.sql.unsafe(`explain (analyze, costs off) ${caught.query}`, caught.params as never[]);
  return (rows as unknown as Array<Record<string, string>>).map((row) => row['QUERY PLAN']!);
}

async function main() {
  const server = await ensureDatabaseServer();
  const database = await startTestDatabase();
  const core = await openCore({ databaseUrl: database.url });
  try {
    log(`jobs list benchmark: ${JOBS} jobs, ${CALLS} calls per scenario, ${PAGE_SIZE} a page; database: ${server}`);
    const seedMs = await seed(core);
    log(`seeded ${JOBS} jobs in ${round(seedMs, 0)} ms`);
    const results = [];
    for (const scenario of scenarios) {
      const cursor = await cursorAt(core, scenario);
      const input = { ...scenario.input, limit: PAGE_SIZE, cursor };
      await listJobs(core, actor, input); // warm the plan cache and the pages
      const times: number[] = [];
      let items = 0;
      for (let c = 0; c < CALLS; c++) {
        const t0 = performance.now();
        const page = await listJobs(core, actor, input);
        times.push(performance.now() - t0);
        items = page.items.length;
      }
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      const pass = p95 <= LIMIT_MS;
      const plan = await explain(core, scenario, cursor);
      log(`${scenario.name.padEnd(26)} ${String(items).padStart(3)} rows  p50 ${round(p50, 2)} ms  p95 ${round(p95, 2)} ms  ${passText(pass)} (≤ ${LIMIT_MS} ms)`);
      for (const line of plan) log(`    ${line}`);
      results.push({ scenario: scenario.name, input: scenario.input, page: scenario.skipPages + 1, rows: items, calls: CALLS, p50Ms: round(p50, 3), p95Ms: round(p95, 3), maxMs: round(Math.max(...times), 3), limitMs: LIMIT_MS, pass, plan });
    }
    const allPass = results.every((r) => r.pass);
    log(allPass ? `PASS: every scenario's p95 is within ${LIMIT_MS} ms` : `FAIL: ${results.filter((r) => !r.pass).map((r) => r.scenario).join(', ')} over ${LIMIT_MS} ms`);
    const dir = join(repoRoot, 'bench-results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'list.json'), JSON.stringify({ benchmark: 'dashboard-list', date: new Date().toISOString(), machine: machine(), jobs: JOBS, pageSize: PAGE_SIZE, seedMs: round(seedMs, 0), pass: allPass, results }, null, 2) + '\n');
    log(`wrote ${join(dir, 'list.json')}`);
    if (!allPass) process.exitCode = 1;
  } finally {
    await core.close();
    await database.stop();
    await stopDatabaseServer();
  }
}

await main();
