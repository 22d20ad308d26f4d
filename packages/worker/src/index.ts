// @sluice/worker: the runtime of a worker process. apps/worker and `sluice worker` start it.
export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
export { queueHandlers, type QueueHandlers } from './queue-handlers.js';
export { ModelRuntime, ModelStartError } from './model-runtime.js';
export { Telemetry } from './telemetry.js';
export { fetchArtifact } from './artifact.js';
export { modelProcessEnv, workerEnv, ZWorkerEnvSchema, type WorkerEnv } from './config.js';
export { WORKER_SETTINGS_PARTS, workerOptions, workerSettings, ZWorkerSettingsSchema, type WorkerSettings } from './settings.js';
