import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AUTH_SETTINGS, describeJob, LOCAL_ACTOR, openCore, type Core } from '@sluice/core';
import type { JobView } from '@sluice/contracts';
import { startTestDatabase, type TestDatabase } from '@sluice/db';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

/** Timings short enough for tests: a dead worker's tasks move within ~3 s. */
export const FAST_WORKER_ENV = {
  SLUICE_TASK_LEASE_SECONDS: '3',
  SLUICE_HEARTBEAT_SECONDS: '0.5',
  SLUICE_HOUSEKEEPING_SECONDS: '0.5',
  SLUICE_TELEMETRY_FLUSH_SECONDS: '0.5',
};

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** What it printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export interface TestService {
  core: Core & { close(): Promise<void> };
  database: TestDatabase;
  workers: WorkerProcess[];
  startWorker: (env?: Record<string, string>) => Promise<WorkerProcess>;
  stop: () => Promise<void>;
}

/**
 * A fresh database, the job service over it, and `workers` worker processes. `jobPools`: pools jobs
 * may name with no worker serving them (SLUICE_JOB_POOLS), for tests of jobs that wait.
 */
export async function startService({ workers = 2, concurrency = 2, env = {}, jobPools }: { workers?: number; concurrency?: number; env?: Record<string, string>; jobPools?: string[] } = {}): Promise<TestService> {
  const database = await startTestDatabase();
  const core = await openCore({ databaseUrl: database.url, settings: { leaseSeconds: 3, ...(jobPools ? { auth: { ...DEFAULT_AUTH_SETTINGS, jobPools } } : {}) } });
  const started: WorkerProcess[] = [];
  const startWorker = async (extra: Record<string, string> = {}) => {
    const worker = await spawnWorker({ DATABASE_URL: database.url, SLUICE_WORKER_CONCURRENCY: String(concurrency), ...FAST_WORKER_ENV, ...env, ...extra });
    started.push(worker);
    return worker;
  };
  await Promise.all(Array.from({ length: workers }, () => startWorker()));
  return {
    core,
    database,
    workers: started,
    startWorker,
    stop: async () => {
      await Promise.allSettled(started.map((w) => w.stop()));
      await core.close();
      await database.stop();
    },
  };
}

export interface SpawnWorkerOptions {
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Leave this process's SLUICE_* and BENCH_* variables out of the worker's environment. */
  cleanEnv?: boolean;
  startTimeoutMs?: number;
}

/**
 * A worker process (worker-process.ts: the runtime `sluice worker` runs), once it serves its pools.
 * Its command models are the tests' own (the reference model, scripts in the repository), which a
 * sandbox would not see: they run unisolated unless `env` or SLUICE_MODEL_SANDBOX says otherwise
 * (tests/security runs hostile models in each sandbox).
 */
export async function spawnWorker(env: Record<string, string>, options: SpawnWorkerOptions = {}): Promise<WorkerProcess> {
  const inherited = options.cleanEnv
    ? Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BENCH_') && !k.startsWith('SLUICE_')))
    : process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@sluice/source', ...(options.nodeArgs ?? []), WORKER_SCRIPT], {
    env: { SLUICE_MODEL_SANDBOX: 'none', ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => {
    output += c.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const check = () => {
      if (/serving pool/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Polls describe until the job reaches one of `statuses`. */
export async function waitForJob(core: Core, name: string, statuses: string[] = ['Completed', 'Failed', 'Stopped'], timeoutMs = 90_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let job = await describeJob(core, LOCAL_ACTOR, { name });
  while (!statuses.includes(job.status)) {
    if (Date.now() > deadline) throw new Error(`job ${name} still ${job.status} after ${timeoutMs} ms: ${JSON.stringify(job.progress)}`);
    await new Promise((r) => setTimeout(r, 200));
    job = await describeJob(core, LOCAL_ACTOR, { name });
  }
  return job;
}

/** Every file under `dir`, relative, sorted; [] when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

export const read = (path: string) => readFile(path, 'utf8');
