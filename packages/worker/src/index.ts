// @sluice/worker: the runtime of a worker process. apps/worker and `sluice worker` start it.
export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
export { ModelRuntime, ModelStartError } from './model-runtime.js';
export { Telemetry } from './telemetry.js';
export { fetchArtifact } from './artifact.js';
export { workerEnv, workerTuning, ZWorkerEnvSchema, type WorkerEnv } from './config.js';
