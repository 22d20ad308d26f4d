import { DEFAULT_ARTIFACT_LIMITS, type ArtifactLimits } from './artifact.js';
import { envSchema, parseSettings, SERVICE_SETTINGS_PARTS, type CoreSettings } from '@sluice/core';
import { z } from 'zod';
import { modelProcessEnv, ZWorkerEnvSchema } from './config.js';
import type { WorkerOptions } from './worker.js';

/**
 * A worker process's settings: the service's (database, object store, sign-in, secret key) and
 * the worker's own (pools, slots, timings: config.ts), parsed once by the entry point
 * (apps/worker, `sluice worker`, `sluice up`) and passed down. Nothing below reads process.env.
 */
export const WORKER_SETTINGS_PARTS = {
  ...SERVICE_SETTINGS_PARTS,
  worker: ZWorkerEnvSchema,
  /** What a command model inherits: worked out here, once, from the worker's whole environment. */
  modelEnv: z
    .looseObject({ SLUICE_MODEL_ENV_PASSTHROUGH: ZWorkerEnvSchema.shape.SLUICE_MODEL_ENV_PASSTHROUGH })
    .transform((env) => modelProcessEnv(env as NodeJS.ProcessEnv, env.SLUICE_MODEL_ENV_PASSTHROUGH)),
};

export const ZWorkerSettingsSchema = envSchema(WORKER_SETTINGS_PARTS);
export type WorkerSettings = z.output<typeof ZWorkerSettingsSchema>;

/** Parses a worker's environment; a bad value is a SettingsError naming the variable and the rule. */
export function workerSettings(env: NodeJS.ProcessEnv): WorkerSettings {
  return parseSettings(ZWorkerSettingsSchema, env);
}

/** startWorker's options from parsed settings, on the database the entry point opened. */
export function workerOptions(settings: WorkerSettings, databaseUrl: string): WorkerOptions {
  const { worker } = settings;
  const core: Partial<CoreSettings> = {
    secretKey: settings.secretKey,
    auth: settings.auth,
    leaseSeconds: worker.SLUICE_TASK_LEASE_SECONDS,
    shardSizeBytes: worker.SLUICE_SHARD_SIZE_MB * 1024 * 1024,
    maxTaskAttempts: worker.SLUICE_TASK_MAX_ATTEMPTS,
  };
  return {
    databaseUrl,
    storage: settings.storage,
    settings: core,
    modelEnv: settings.modelEnv,
    modelIsolation: { sandbox: worker.SLUICE_MODEL_SANDBOX, uids: worker.SLUICE_MODEL_UIDS, readOnlyPaths: worker.SLUICE_MODEL_READ_ONLY_PATHS },
    artifactLimits: artifactLimitsFor(worker.SLUICE_ARTIFACT_MAX_MB),
    pools: worker.SLUICE_POOLS,
    concurrency: worker.SLUICE_WORKER_CONCURRENCY,
    heartbeatSeconds: worker.SLUICE_HEARTBEAT_SECONDS,
    housekeepingSeconds: worker.SLUICE_HOUSEKEEPING_SECONDS,
    flushSeconds: worker.SLUICE_TELEMETRY_FLUSH_SECONDS,
  };
}

/** SLUICE_ARTIFACT_MAX_MB as the artifact limits: that much downloaded, 4 times it unpacked, 200,000 files. */
export function artifactLimitsFor(maxMB: number): ArtifactLimits {
  const downloadBytes = maxMB * 1024 * 1024;
  return { downloadBytes, unpackedBytes: 4 * downloadBytes, files: DEFAULT_ARTIFACT_LIMITS.files };
}
