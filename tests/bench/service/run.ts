/**
 * The job-service benchmark: `npm run bench:service` (all scenarios) or
 * `npm run bench:service -- first many shard`.
 *
 *   first  create → first invocation with warm, idle workers (p50/p90/max over 20 jobs)
 *   many   N small objects vs the same bytes in one object: per-task overhead of the service
 *   shard  one large Line object with and without sharding, latency-bound model: speed-up
 *
 * Real components as in tests/service: PostgreSQL (DATABASE_URL, or an embedded server started
 * for the run), the job service in this process, 2 worker processes (tests/support/worker-process.ts)
 * with the product's default timings, local files. Each scenario gets a fresh database and fresh
 * workers.
 *
 * Environment: BENCH_SCALE (default 1; 0.1 for a quick run) scales the object count of `many` and
 * the object size of `shard` (320 MiB at 1); BENCH_FIRST_JOBS (20), BENCH_FIRST_IDLE_MS (1000),
 * BENCH_OBJECTS (1000 × scale), BENCH_MANY_RUNS (2), BENCH_SHARD_LATENCY_MS (100),
 * BENCH_SHARD_RUNS (2), BENCH_DIR (scratch; default the OS temp dir), BENCH_PROFILE=1 (workers
 * write .cpuprofile files under bench-results/service-profiles/). For diagnosis only, changing
 * the scenarios' fleet: BENCH_WORKER_SLOTS (many, shard), BENCH_MANY_INSTANCES, BENCH_WORKERS
 * (shard). Writes bench-results/service.json at the repo root.
 *
 * Diagnostics beside it, run by hand: task-phases.ts (one small task's phases and SQL statements),
 * claim-scaling.ts (claim/finish cost against the job's size).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { firstInvocation } from './first-invocation.js';
import { benchScale, ensureDatabaseServer, log, machine, passText, profileDir, repoRoot, round, stopDatabaseServer, type ScenarioResult } from './harness.js';
import { manyObjects } from './many-objects.js';
import { sharding } from './sharding.js';

const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  first: firstInvocation,
  many: manyObjects,
  shard: sharding,
};

const ALIASES: Record<string, string> = {
  'first-invocation': 'first',
  latency: 'first',
  'many-objects': 'many',
  objects: 'many',
  sharding: 'shard',
  shards: 'shard',
};

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    log(`usage: npm run bench:service [-- ${Object.keys(SCENARIOS).join(' ')}]   (env: BENCH_SCALE, BENCH_FIRST_JOBS, BENCH_OBJECTS, BENCH_SHARD_RUNS, BENCH_DIR, BENCH_PROFILE)`);
    return 0;
  }
  const chosen = args.length === 0 ? Object.keys(SCENARIOS) : args.map((a) => ALIASES[a] ?? a);
  const unknown = chosen.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (choose from ${Object.keys(SCENARIOS).join(', ')})\n`);
    return 2;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const scale = benchScale();
  const host = machine();
  const started = new Date();
  log(`Sluice job-service benchmark — ${started.toISOString()}`);
  log(`machine: ${host.cpus} × ${host.cpuModel}, ${(host.totalMemoryMB / 1000).toFixed(1)} GB, node ${host.node}, load ${host.loadAverage.join(' ')}`);
  const database = await ensureDatabaseServer();
  log(`scale ${scale}, database: ${database}, scenarios: ${chosen.join(', ')}${profileDir ? `, worker CPU profiles → ${profileDir}` : ''}`);

  const results: ScenarioResult[] = [];
  const errors: Array<{ name: string; error: string }> = [];
  try {
    for (const name of chosen) {
      log();
      log(`== ${name}`);
      try {
        results.push(await SCENARIOS[name]!());
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        errors.push({ name, error: message });
        log(`  ERROR: ${message}`);
      }
    }
  } finally {
    await stopDatabaseServer();
  }

  log();
  log('== summary');
  for (const r of results) {
    log(`  ${passText(r.pass)}  ${r.name.padEnd(6)} ${String(r.value).padStart(8)}  (${r.target.metric} ${r.target.op} ${r.target.value})  ${r.durationS} s`);
  }
  for (const e of errors) log(`  ERROR ${e.name}`);

  const summary = {
    date: started.toISOString(),
    machine: host,
    loadAverageAfter: machine().loadAverage,
    database,
    scale,
    scenarios: Object.fromEntries(results.map((r) => [r.name, r])),
    ...(errors.length > 0 ? { errors } : {}),
    pass: errors.length === 0 && results.every((r) => r.pass),
    durationS: round((Date.now() - started.getTime()) / 1000),
  };
  const outDir = join(repoRoot, 'bench-results');
  await mkdir(outDir, { recursive: true });
  const outFile = join(outDir, 'service.json');
  await writeFile(outFile, `${JSON.stringify(summary, null, 2)}\n`);
  log(`wrote ${outFile} (${summary.durationS} s)`);
  // A figure off target is a finding, not a crash: exit 0 unless a scenario could not run.
  return errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
