import { z } from 'zod';

const seconds = (fallback: number, max: number) => z.coerce.number().min(0.1).max(max).default(fallback);

/**
 * The worker's settings from the environment, each with a default that works locally. The README's
 * configuration table lists them; this schema is their one home.
 */
export const ZWorkerEnvSchema = z.object({
  SLUICE_POOLS: z
    .string()
    .default('default')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean)),
  SLUICE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
  /** A worker silent for this long loses its tasks to others. */
  SLUICE_TASK_LEASE_SECONDS: seconds(30, 3600),
  SLUICE_HEARTBEAT_SECONDS: seconds(5, 600),
  SLUICE_HOUSEKEEPING_SECONDS: seconds(5, 600),
  SLUICE_TELEMETRY_FLUSH_SECONDS: seconds(2, 600),
  /** Line objects over this are cut into shards, unless the job sets its own. */
  SLUICE_SHARD_SIZE_MB: z.coerce.number().int().min(1).max(1_000_000).default(256),
  SLUICE_TASK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
});

export type WorkerEnv = z.output<typeof ZWorkerEnvSchema>;

/** Parses the worker's environment; a bad value is an error naming the variable and the rule. */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const parsed = ZWorkerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`bad worker setting: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (parsed.data.SLUICE_HEARTBEAT_SECONDS * 2 > parsed.data.SLUICE_TASK_LEASE_SECONDS) {
    throw new Error('bad worker setting: SLUICE_TASK_LEASE_SECONDS must be at least twice SLUICE_HEARTBEAT_SECONDS, or live workers lose their tasks');
  }
  return parsed.data;
}

/** WorkerOptions' timing and settings from a parsed environment. */
export function workerTuning(env: WorkerEnv) {
  return {
    pools: env.SLUICE_POOLS,
    concurrency: env.SLUICE_WORKER_CONCURRENCY,
    heartbeatSeconds: env.SLUICE_HEARTBEAT_SECONDS,
    housekeepingSeconds: env.SLUICE_HOUSEKEEPING_SECONDS,
    flushSeconds: env.SLUICE_TELEMETRY_FLUSH_SECONDS,
    settings: {
      leaseSeconds: env.SLUICE_TASK_LEASE_SECONDS,
      shardSizeBytes: env.SLUICE_SHARD_SIZE_MB * 1024 * 1024,
      maxTaskAttempts: env.SLUICE_TASK_MAX_ATTEMPTS,
    },
  };
}
