import { sandboxPathConflict } from '@sluice/engine';
import { DEFAULT_SHARD_SIZE_MB, ZShardSizeMBSchema } from '@sluice/params';
import { z } from 'zod';

const seconds = (fallback: number, max: number) =>
  z.coerce.number({ error: `must be a number of seconds from 0.1 to ${max}` }).min(0.1, `must be at least 0.1 s`).max(max, `must be at most ${max} s`).default(fallback);
const whole = (fallback: number, min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};

/**
 * 606 uids that neither systemd (between its homed and nspawn users and DynamicUser=) nor Debian's
 * static allocations (60000-64999, so far from 63434 up) use, below 65536 so that a worker in a
 * rootless container, which maps only that many, can still switch to them. The worker checks at
 * start-up that no user or group of its host has one.
 */
const DEFAULT_MODEL_UIDS = '60578-61183';
const NOBODY = 65534;

/**
 * The worker's settings from the environment, each with a default that works locally. The README's
 * configuration table lists them; this schema is their one home.
 */
export const ZWorkerEnvSchema = z.object({
  /** The pools (InstanceType names) this worker serves, comma-separated. */
  SLUICE_POOLS: z
    .string()
    .default('default')
    .transform((list) => list.split(',').map((pool) => pool.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, { error: (issue) => `'${String(issue.input)}' is not a pool name (letters, digits, dots, hyphens, underscores)` }))
        .min(1, 'name at least one pool'),
    ),
  /** Tasks this worker runs at once, across its pools. */
  SLUICE_WORKER_CONCURRENCY: whole(2, 1, 256),
  /** A worker silent for this long loses its tasks to others. */
  SLUICE_TASK_LEASE_SECONDS: seconds(30, 3600),
  SLUICE_HEARTBEAT_SECONDS: seconds(5, 600),
  SLUICE_HOUSEKEEPING_SECONDS: seconds(5, 600),
  SLUICE_TELEMETRY_FLUSH_SECONDS: seconds(2, 600),
  /** Line objects over this are cut into shards, unless the job sets its own. */
  SLUICE_SHARD_SIZE_MB: whole(DEFAULT_SHARD_SIZE_MB, ZShardSizeMBSchema.minValue!, ZShardSizeMBSchema.maxValue!),
  /** Lapsed leases a task may have (its worker died) before it fails. */
  SLUICE_TASK_MAX_ATTEMPTS: whole(3, 1, 100),
  /** The largest model artifact a worker downloads, in MB; it may unpack to 4 times that, in 200,000 files. */
  SLUICE_ARTIFACT_MAX_MB: whole(20 * 1024, 1, 10_000_000),
  /** Variables of the worker's own environment that command models also get (comma-separated names). */
  SLUICE_MODEL_ENV_PASSTHROUGH: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean)),
  /**
   * How command models are isolated from the worker: `bwrap` (bubblewrap, as a uid of their own when
   * the worker is root), `user` (a uid of their own, root only), `none`, `refuse` (run none), or
   * `auto`: the strongest that works here. model-isolation.ts decides at start-up.
   */
  SLUICE_MODEL_SANDBOX: z.enum(['auto', 'bwrap', 'user', 'none', 'refuse'], { error: "must be 'auto', 'bwrap', 'user', 'none' or 'refuse'" }).default('auto'),
  /** Uids (and gids of the same numbers) models run as, one per model process on the host. */
  SLUICE_MODEL_UIDS: z.string().default(DEFAULT_MODEL_UIDS).transform(uidRange),
  /** Host paths a bubblewrapped model may also read (a Python or CUDA install outside /usr...). */
  SLUICE_MODEL_READ_ONLY_PATHS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((path) => path.trim()).filter(Boolean))
    .pipe(z.array(z.string().superRefine(readOnlyPath))),
}).superRefine((env, ctx) => {
  if (env.SLUICE_HEARTBEAT_SECONDS * 2 > env.SLUICE_TASK_LEASE_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['SLUICE_TASK_LEASE_SECONDS'], message: 'must be at least twice SLUICE_HEARTBEAT_SECONDS, or live workers lose their tasks' });
  }
});

export type WorkerEnv = z.output<typeof ZWorkerEnvSchema>;


function uidRange(value: string, ctx: z.RefinementCtx): { first: number; last: number } {
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(value);
  const [first, last] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  let problem: string | undefined;
  if (!match) problem = `must be a range of uids such as ${DEFAULT_MODEL_UIDS}, got "${value}"`;
  else if (first < 1000 || last > 4294967294 || first > last) problem = `must run from a first uid (1000 or more) to a last (up to 4294967294) no smaller than it, got "${value}"`;
  else if (first <= NOBODY && NOBODY <= last) problem = `must not hold ${NOBODY} (nobody: other services run as it)`;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `${problem}; each uid in it must belong to no one else on the host` });
    return z.NEVER;
  }
  return { first, last };
}

function readOnlyPath(path: string, ctx: z.RefinementCtx): void {
  if (!path.startsWith('/')) {
    ctx.addIssue({ code: 'custom', message: `'${path}' is not an absolute path` });
    return;
  }
  const conflict = sandboxPathConflict(path);
  if (conflict) ctx.addIssue({ code: 'custom', message: `'${path}' overlaps ${conflict}, which the sandbox mounts itself` });
}

/** Parses the worker's environment; a bad value is an error naming the variable and the rule. */
export function workerEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const parsed = ZWorkerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`).join('\n'));
  }
  return parsed.data;
}

/**
 * What a command model's process inherits from the worker, worked out once at start-up from the
 * worker's environment (WorkerSettings.modelEnv): what any process needs to run (the
 * search path, home, locale, time zone, temp dir) and the names in SLUICE_MODEL_ENV_PASSTHROUGH.
 * Never the rest: the worker's environment holds DATABASE_URL, SLUICE_SECRET_KEY and cloud
 * credentials, and a model is code any member of any team may register. A model gets its own
 * settings from its env and secret env, as a SageMaker container gets its Environment.
 */
export function modelProcessEnv(env: NodeJS.ProcessEnv, passthroughNames: string[] = workerEnv(env).SLUICE_MODEL_ENV_PASSTHROUGH): Record<string, string> {
  const passthrough = new Set(passthroughNames);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (PROCESS_ESSENTIALS.has(name) || name.startsWith('LC_') || passthrough.has(name))) kept[name] = value;
  }
  return kept;
}

const PROCESS_ESSENTIALS = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TMP', 'TEMP']);
