/**
 * Shared pieces of the job-service benchmark: the database server, a fresh job service with real
 * worker processes, an echo model served inside the bench process (so the time a request arrives
 * is read on the same clock as the time createJob was called), job polling, data and results.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCore, type Core } from '@sluice/core';
import { startTestDatabase, startTestServer, TEST_ADMIN_URL_ENV, type TestDatabase } from '@sluice/db';
import { spawnWorker, type WorkerProcess } from '../../support/service.js';

export const serviceBenchDir = dirname(fileURLToPath(import.meta.url));
// Shared with the engine benchmark: one definition each.
import { MiB, repoRoot } from '../bench-support.js';
export { benchScale, MiB, repoRoot } from '../bench-support.js';

/** A positive whole number from the environment, or `fallback`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number (got '${raw}')`);
  return n;
}

/** BENCH_PROFILE=1: workers run with --cpu-prof, profiles written under bench-results/service-profiles/. */
export const profileDir = process.env.BENCH_PROFILE ? join(repoRoot, 'bench-results', 'service-profiles') : undefined;

// ---------------------------------------------------------------------------------------------
// Output

export function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function ms(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

export function passText(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}

/** Nearest-rank percentile of `values` (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export { verdict, type ScenarioResult, type Target } from '../bench-support.js';

export function machine() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    totalMemoryMB: Math.round(totalmem() / 1e6),
    freeMemoryMB: Math.round(freemem() / 1e6),
    loadAverage: loadavg().map((l) => round(l, 2)),
    tmpdir: tmpdir(),
  };
}

/** Other processes using the CPU right now (the engine benchmark may run beside us): for the notes. */
export function loadNote(): string {
  const [one] = loadavg();
  const cores = cpus().length;
  return one! > cores * 0.75 ? `load average ${one!.toFixed(2)} on ${cores} cores when this started: other work shares the CPU, figures are noisier` : `load average ${one!.toFixed(2)} on ${cores} cores`;
}

// ---------------------------------------------------------------------------------------------
// Scratch space

export interface ScratchDir {
  path: string;
  remove: () => Promise<void>;
}

export async function scratchDir(label: string): Promise<ScratchDir> {
  const base = process.env.BENCH_DIR || tmpdir();
  await mkdir(base, { recursive: true });
  const path = await mkdtemp(join(base, `sluice-bench-service-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Starts several things at once; if any fails, stops those that started (`stop` of each value)
 * and rethrows, so a failed start leaves no process behind.
 */
export async function startAll<T extends readonly unknown[]>(starts: { [K in keyof T]: Promise<T[K]> }, stop: (value: unknown) => Promise<void> | undefined): Promise<T> {
  const settled = await Promise.allSettled(starts as readonly Promise<unknown>[]);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.allSettled(settled.filter((r): r is PromiseFulfilledResult<unknown> => r.status === 'fulfilled').map((r) => stop(r.value)));
    throw failure.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Stops any of the bench's resources: a service, a model server, an echo server or a scratch dir. */
export async function stopResource(value: unknown): Promise<void> {
  const v = value as { stop?: () => Promise<void>; remove?: () => Promise<void> };
  if (typeof v?.stop === 'function') await v.stop();
  else if (typeof v?.remove === 'function') await v.remove();
}

export const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

// ---------------------------------------------------------------------------------------------
// Database server: DATABASE_URL or SLUICE_TEST_DATABASE_ADMIN_URL when set, else one embedded
// server for the whole run (started once; each scenario gets a fresh database copied from the
// migrated template).

let embedded: Promise<{ server: { pid: number }; stop(): Promise<void> } | undefined> | undefined;
/** The embedded server's postmaster, for CPU accounting (unknown with DATABASE_URL). */
let postmasterPid: number | undefined;

export async function ensureDatabaseServer(): Promise<string> {
  if (process.env.DATABASE_URL?.trim()) return 'DATABASE_URL';
  if (process.env[TEST_ADMIN_URL_ENV]?.trim()) return TEST_ADMIN_URL_ENV;
  embedded ??= startTestServer().then((s) => {
    process.env[TEST_ADMIN_URL_ENV] = s.server.urlFor('postgres');
    postmasterPid = s.server.pid;
    return s;
  });
  await embedded;
  return 'embedded PostgreSQL (temporary)';
}

export async function stopDatabaseServer(): Promise<void> {
  const server = await embedded;
  embedded = undefined;
  postmasterPid = undefined;
  if (server) {
    delete process.env[TEST_ADMIN_URL_ENV];
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The job service: a fresh database, the core in this process (as the API server would hold it),
// and worker processes (tests/support/worker-process.ts: the runtime `sluice worker` runs).

export type BenchWorker = WorkerProcess;

export interface BenchService {
  core: Core & { close(): Promise<void> };
  database: TestDatabase;
  workers: BenchWorker[];
  workerEnv: Record<string, string>;
  stop: () => Promise<void>;
}

/**
 * Workers run with the product's default timings (heartbeat 5 s, housekeeping 5 s, telemetry
 * flush 2 s, lease 30 s), not the tests' fast ones: the benchmark measures what users get.
 * worker-process.ts itself sets pg-boss polling to 0.5 s (the product's default is 1 s); wake-ups
 * arrive by NOTIFY, so polling only matters when a notification is missed.
 */
export async function startBenchService({ workers = 2, concurrency = 2, env = {} }: { workers?: number; concurrency?: number; env?: Record<string, string> } = {}): Promise<BenchService> {
  await ensureDatabaseServer();
  const database = await startTestDatabase();
  const core = await openCore({ databaseUrl: database.url });
  const workerEnv = { SLUICE_WORKER_CONCURRENCY: String(concurrency), ...env };
  const started: BenchWorker[] = [];
  const spawnOne = async () => started.push(await spawnBenchWorker({ ...workerEnv, DATABASE_URL: database.url }));
  try {
    const all = await Promise.allSettled(Array.from({ length: workers }, spawnOne));
    const failed = all.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await Promise.allSettled(started.map((w) => w.stop()));
    await core.close();
    await database.stop();
    throw error;
  }
  return {
    core,
    database,
    workers: started,
    workerEnv,
    stop: async () => {
      await Promise.allSettled(started.map((w) => w.stop()));
      await core.close();
      await database.stop();
    },
  };
}

async function spawnBenchWorker(env: Record<string, string>): Promise<BenchWorker> {
  const nodeArgs: string[] = [];
  if (profileDir) {
    await mkdir(profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  // Only what the worker needs from this process's environment: not the bench's own knobs.
  return spawnWorker(env, { nodeArgs, cleanEnv: true, startTimeoutMs: 60_000 });
}

export interface JobTimes {
  status: string;
  /** performance.now() when this process saw the final status (polling every `pollMs`). */
  seenAt: number;
  /** Database clock: transform_end_time − creation_time, in ms. */
  dbCreateToEndMs: number | null;
  /** Database clock: transform_start_time (planned) − creation_time, in ms. */
  dbCreateToPlannedMs: number | null;
  failureReason: string | null;
}

/** Polls the job's row (one cheap query) until it ends; throws on a timeout. */
export async function waitForJob(core: Core, name: string, { timeoutMs = 600_000, pollMs = 25 } = {}): Promise<JobTimes> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await core.sql<Array<{ status: string; failure_reason: string | null; to_end: number | null; to_planned: number | null }>>`
      select status, failure_reason,
        extract(epoch from (transform_end_time - creation_time)) * 1000 as to_end,
        extract(epoch from (transform_start_time - creation_time)) * 1000 as to_planned
      from transform_jobs where name = ${name}`;
    if (row && ['Completed', 'Failed', 'Stopped'].includes(row.status)) {
      return {
        status: row.status,
        seenAt: performance.now(),
        dbCreateToEndMs: row.to_end === null ? null : Number(row.to_end),
        dbCreateToPlannedMs: row.to_planned === null ? null : Number(row.to_planned),
        failureReason: row.failure_reason,
      };
    }
    if (Date.now() > deadline) throw new Error(`job ${name} still ${row?.status ?? 'missing'} after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

/** Throws with the job's failure and the workers' output unless it completed. */
export function expectCompleted(name: string, times: JobTimes, service: BenchService): void {
  if (times.status === 'Completed') return;
  const tails = service.workers.map((w) => w.output().slice(-2000)).join('\n---\n');
  throw new Error(`job ${name} ended ${times.status}: ${times.failureReason ?? ''}\nworker output:\n${tails}`);
}

/** Per-task timing of a job from the tasks table (database clock). */
export async function taskTimings(core: Core, jobName: string) {
  // Epoch milliseconds computed by the server: drizzle sets the client's timestamp parsers to strings.
  const raw = await core.sql<Array<{ kind: string; owner: string | null; started: string; ended: string }>>`
    select t.kind, t.lease_owner as owner,
      extract(epoch from t.started_at) * 1000 as started, extract(epoch from t.ended_at) * 1000 as ended
    from tasks t join transform_jobs j on j.id = t.job_id
    where j.name = ${jobName} and t.started_at is not null and t.ended_at is not null
    order by t.started_at`;
  const rows = raw.map((r) => ({ kind: r.kind, owner: r.owner, started: Number(r.started), ended: Number(r.ended) }));
  const assemble = rows.filter((r) => r.kind === 'assemble').map((r) => r.ended - r.started);
  const durations = rows.map((r) => r.ended - r.started);
  const busyMs = durations.reduce((a, b) => a + b, 0);
  const first = rows.length ? Math.min(...rows.map((r) => r.started)) : 0;
  const last = rows.length ? Math.max(...rows.map((r) => r.ended)) : 0;
  const perWorker: Record<string, number> = {};
  for (const r of rows) {
    const pid = r.owner?.split(':')[1] ?? '?';
    perWorker[pid] = (perWorker[pid] ?? 0) + 1;
  }
  return {
    tasks: rows.length,
    workersUsed: Object.keys(perWorker).length,
    /** Tasks run by each worker (by pid). */
    tasksPerWorker: perWorker,
    taskP50Ms: round(percentile(durations, 50)),
    taskP90Ms: round(percentile(durations, 90)),
    taskMaxMs: round(durations.length ? Math.max(...durations) : NaN),
    /**
     * Sum of task durations, across every slot. A task's started_at is its claim transaction's
     * start and its ended_at its finish transaction's start (both now()): claim, model, engine,
     * telemetry flush are inside; the finish transaction and the hand-off to the next claim are not.
     */
    inTasksMs: round(busyMs),
    /** The assembly task of a sharded object (joins the parts in order), when there is one. */
    assembleMs: assemble.length ? round(Math.max(...assemble)) : null,
    /** First task start to last task end. */
    tasksSpanMs: round(last - first),
  };
}

// ---------------------------------------------------------------------------------------------
// An echo model inside this process. Each model registered against it gets a URL with its own
// path prefix (http://127.0.0.1:port/<tag>), so every request is attributed to its job exactly:
// the transport sends <tag>/ping, <tag>/execution-parameters and <tag>/invocations.

export interface TagEvents {
  pings: number[];
  executionParameters: number[];
  invocations: number[];
  bytesIn: number;
}

export interface EchoServer {
  base: string;
  urlFor(tag: string): string;
  events(tag: string): TagEvents;
  /** Every invocation, all tags: count and bytes. */
  totals(): { invocations: number; bytesIn: number };
  stop(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const byTag = new Map<string, TagEvents>();
  const totals = { invocations: 0, bytesIn: 0 };
  const eventsOf = (tag: string) => {
    let e = byTag.get(tag);
    if (!e) byTag.set(tag, (e = { pings: [], executionParameters: [], invocations: [], bytesIn: 0 }));
    return e;
  };
  const server: Server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, noDelay: true }, (req, res) => {
    const now = performance.now();
    const url = req.url ?? '/';
    const slash = url.indexOf('/', 1);
    const tag = slash > 0 ? url.slice(1, slash) : '';
    const path = slash > 0 ? url.slice(slash) : url;
    const e = eventsOf(tag);
    if (req.method === 'POST' && path === '/invocations') {
      e.invocations.push(now);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        e.bytesIn += body.length;
        totals.invocations++;
        totals.bytesIn += body.length;
        res.writeHead(200, { 'Content-Type': req.headers['accept'] ?? req.headers['content-type'] ?? 'text/plain', 'Content-Length': body.length });
        res.end(body);
      });
      return;
    }
    req.resume();
    if (req.method === 'GET' && path === '/ping') {
      e.pings.push(now);
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
    } else if (req.method === 'GET' && path === '/execution-parameters') {
      // Like most containers: none offered, so SageMaker's defaults apply.
      e.executionParameters.push(now);
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
    } else {
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    urlFor: (tag) => `${base}/${tag}`,
    events: eventsOf,
    totals: () => ({ ...totals }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc): CPU time used by the workers, PostgreSQL (postmaster, its live
// backends, and those that exited), this process (the job service's caller and the echo model),
// and any other child (a model server). Less noisy than wall time when other work shares the CPU.

const CLOCK_TICKS_PER_S = 100;

function procTimes(pid: number): { self: number; children: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    const tick = 1000 / CLOCK_TICKS_PER_S;
    return { ppid: Number(fields[1]), self: (Number(fields[11]) + Number(fields[12])) * tick, children: (Number(fields[13]) + Number(fields[14])) * tick };
  } catch {
    return undefined;
  }
}

function postgresCpuMs(): number | undefined {
  if (postmasterPid === undefined) return undefined;
  const master = procTimes(postmasterPid);
  if (!master) return undefined;
  let total = master.self + master.children;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const t = procTimes(Number(entry));
      if (t?.ppid === postmasterPid) total += t.self;
    }
  } catch {
    return undefined;
  }
  return total;
}

/** CPU time the whole machine spent busy (all processes, all cores), from /proc/stat. */
function machineBusyMs(): number | undefined {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const v = cpu!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = v[0]! + v[1]! + v[2]! + v[5]! + v[6]! + (v[7] ?? 0);
    return busy * (1000 / CLOCK_TICKS_PER_S);
  } catch {
    return undefined;
  }
}

export interface CpuSample {
  machineMs: number | undefined;
  workersMs: number;
  postgresMs: number | undefined;
  benchMs: number;
  otherMs: number;
  at: number;
}

/** CPU used so far by the service's workers, PostgreSQL, this process and `others` (pids). */
export function cpuSample(service: BenchService, others: number[] = []): CpuSample {
  const usage = process.cpuUsage();
  return {
    machineMs: machineBusyMs(),
    workersMs: service.workers.reduce((n, w) => n + (procTimes(w.pid)?.self ?? 0), 0),
    postgresMs: postgresCpuMs(),
    benchMs: (usage.user + usage.system) / 1000,
    otherMs: others.reduce((n, pid) => n + (procTimes(pid)?.self ?? 0), 0),
    at: performance.now(),
  };
}

/** CPU between two samples, in ms, and as cores busy on average over the wall time. */
export function cpuBetween(a: CpuSample, b: CpuSample) {
  const wall = Math.max(1, b.at - a.at);
  const workers = b.workersMs - a.workersMs;
  const postgres = a.postgresMs === undefined || b.postgresMs === undefined ? undefined : b.postgresMs - a.postgresMs;
  const bench = b.benchMs - a.benchMs;
  const other = b.otherMs - a.otherMs;
  const total = workers + (postgres ?? 0) + bench + other;
  const machine = a.machineMs === undefined || b.machineMs === undefined ? undefined : b.machineMs - a.machineMs;
  return {
    wallMs: round(wall),
    workersMs: round(workers),
    postgresMs: postgres === undefined ? null : round(postgres),
    benchProcessMs: round(bench),
    modelProcessMs: round(other),
    totalMs: round(total),
    coresBusy: round(total / wall, 2),
    /** Cores kept busy meanwhile by everything else on the machine (another benchmark...): noise. */
    otherLoadCores: machine === undefined ? null : round(Math.max(0, machine - total) / wall, 2),
  };
}
