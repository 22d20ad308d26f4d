// @sluice/core: the job service. Routers (packages/api) and queue handlers (packages/worker) call
// these use cases; nothing else touches the tables.
export * from './context.js';
export { parseInput, validationError } from './parse-input.js';
export {
  JobQueue,
  QUEUE_CATALOG,
  QUEUE_KEYS,
  QUEUES,
  queueName,
  runTaskQueue,
  WAKE_CHANNEL,
  ZJobMessageSchema,
  ZComparisonMessageSchema,
  type ComparisonMessage,
  type JobMessage,
  type QueueDefinition,
  type QueueKey,
  type QueuePayload,
  type QueuePolicy,
} from './queue/job-queue.js';
export { listenQueueWakes } from './queue/wake.js';
export { tryHoldLock, type HeldLock } from './locks/session-lock.js';
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
export { ensureLocalSecretKey, localSecretKey, secretKeyFromEnv, ZSecretKeyEnvSchema, ZSecretKeySettingsSchema } from './keys/secret-box.js';
export { envSchema, parseSettings, SettingsError } from './settings/env-schema.js';
export { SERVICE_SETTINGS_PARTS, ZDatabaseSettingsSchema, ZStorageSettingsSchema } from './settings/service.js';
export { pingModel } from './models/ping-model.js';
export { previewInput } from './jobs/preview-input.js';
export { previewRecords } from './jobs/preview-records.js';
export { recordResolvedParams } from './jobs/record-resolved-params.js';
export { createComparison } from './comparisons/create-comparison.js';
export { describeComparison } from './comparisons/describe-comparison.js';
export { listComparisons } from './comparisons/list-comparisons.js';
export { computeComparison, DEFAULT_MAX_DISAGREEMENTS } from './comparisons/compute-comparison.js';
export { startComparisonsOfJob } from './comparisons/start-when-ready.js';
export { compileLabelReader, numericLabel, type LabelReader } from './comparisons/label-locator.js';
export { MAX_LABELS, OTHER_LABEL, NO_LABEL, DISAGREEMENT_FIELD_BYTES } from './comparisons/comparison-tally.js';
export { requireWriteRole, requireAdminRole } from './auth/roles.js';
export { AUTH_MODES, DEFAULT_AUTH_SETTINGS, ZAuthEnvSchema, ZAuthSettingsSchema, authSettingsFromEnv, allowedFileRoots, allowedModelUrls, allowedS3Roots, isLoopbackAddress, isLoopbackHost, type AuthMode, type AuthSettings, type OidcSettings } from './auth/settings.js';
export { audit, listAudit, type AuditActor, type AuditEntry } from './auth/audit.js';
export {
  createUser,
  addTeamMember,
  listTeamMembers,
  listUsers,
  setMemberRole,
  setUserPassword,
  changeOwnPassword,
  type EndedCredentials,
  setUserDisabled,
  removeMember,
  findUserByEmail,
  teamsOfUser,
  actorInTeam,
  ensureTeam,
  type MemberView,
} from './auth/members.js';
export { hashPassword, verifyPassword } from './auth/passwords.js';
export { randomSecret, sha256Hex, sameSecret } from './auth/opaque-tokens.js';
export { createSession, findSession, endSession, switchSessionTeam, type NewSession, type FoundSession, type SessionProblem } from './auth/sessions.js';
export {
  API_TOKEN_PREFIX,
  createApiToken,
  createApiTokenForUser,
  listApiTokens,
  listApiTokensOfUser,
  revokeApiToken,
  revokeApiTokenById,
  actorForApiToken,
  type ApiTokenProblem,
} from './auth/api-tokens.js';
export { checkSignInRate, recordSignInAttempt, SignInRateLimited } from './auth/rate-limit.js';
export { signInWithPassword, startSession, WRONG_EMAIL_OR_PASSWORD, type RequestOrigin, type SignedIn } from './auth/sign-in.js';
export { beginOidcSignIn, finishOidcSignIn, type OidcChallenge } from './auth/oidc.js';
export { accountOf, sessionViewOf, type SessionView } from './auth/account.js';
export { locationIssue, modelUrlIssue } from './auth/allowed-locations.js';
export {
  createAccountAccessKey,
  createAccessKeyForUser,
  listAccessKeys,
  revokeAccessKey,
  actorForAccessKey,
  type AccessKeyView,
  type AccessKeyProblem,
} from './keys/access-keys.js';
export { SECRET_KEY_FILE } from './keys/secret-box.js';
export { openSecretEnv, MASKED } from './models/secret-env.js';
// The rows and figures the worker reads from claimed tasks: the job service hands them on, so
// queue handlers never import the database package themselves.
export { LATENCY_BUCKETS_MS, type ModelRow, type TransformJobRow } from '@sluice/db';
