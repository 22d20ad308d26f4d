// @sluice/core: the job service. Routers (packages/api) and queue handlers (packages/worker) call
// these use cases; nothing else touches the tables.
export * from './context.js';
export { parseInput, validationError } from './parse-input.js';
export { JobQueue, QUEUES, runTaskQueue, WAKE_CHANNEL, ZJobMessageSchema, type JobMessage } from './queue/job-queue.js';
export { createModel, getModel, listModels, deleteModel, findModel } from './models/models.js';
export { createJob } from './jobs/create-job.js';
export { describeJob, listJobObjects } from './jobs/describe-job.js';
export { listJobs } from './jobs/list-jobs.js';
export { stopJob } from './jobs/stop-job.js';
export { retryFailed } from './jobs/retry-failed.js';
export { cloneJob, timestampedName } from './jobs/clone-job.js';
export { appendLogs, listLogs, type NewLogEntry } from './logs/logs.js';
export { appendMetrics, getJobMetrics, percentile, latencyBucket, type NewMetricRow } from './metrics/metrics.js';
export { planJob, shardCount } from './scheduling/plan-job.js';
export { claimTask, type ClaimedTask } from './scheduling/claim-task.js';
export { finishTask, releaseTask, shardParts, type TaskOutcome } from './scheduling/finish-task.js';
export { finalizeJob } from './scheduling/finalize-job.js';
export { failJob } from './scheduling/fail-job.js';
export { housekeeping } from './scheduling/housekeeping.js';
export { notifyJobStop, listenJobStops } from './scheduling/notify.js';
export { registerWorker, heartbeat, reportTaskProgress, deregisterWorker, listWorkers, type WorkerStatus } from './workers/workers.js';
export { openCore, type OpenCoreOptions } from './open-core.js';
export { createAccessKey, findAccessKey, recordAccessKeyUse, type AccessKeyCredentials, type FoundAccessKey } from './keys/access-keys.js';
export { secretKeyFromEnv, ZSecretKeyEnvSchema } from './keys/secret-box.js';
export { pingModel } from './models/ping-model.js';
export { previewInput } from './jobs/preview-input.js';
export { previewRecords } from './jobs/preview-records.js';
export { recordResolvedParams } from './jobs/record-resolved-params.js';
