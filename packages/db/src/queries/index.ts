// Every SQL statement Sluice writes by hand, behind a function named for what it does. Core's
// use cases call these (in their own transactions) and keep the rules; only pg-boss writes SQL
// of its own. Each function takes the client or the open transaction to run on.
export type { Executor } from './rows.js';
export { countFailedObjects, countOpenTasks, endJob, firstFailedObjects, hasOpenTasks, liveTaskTotals, lockJob, stopPendingObjects, type FailedObject, type LockedJob } from './jobs.js';
export {
  addShardToObject,
  endObject,
  leaseNextTask,
  markObjectStarted,
  recordTaskEnd,
  recordTaskProgress,
  shardPartsOf,
  stopPendingShards,
  type LeaseRequest,
  type ObjectEnd,
  type ShardPart,
  type TaskEnd,
  type TaskProgress,
} from './tasks.js';
export { countLapsedLeases, countLiveLeases, failExhaustedLeases, failObjectOf, liveTasksOfRun, releaseLease, renewLeases, stopLapsedTasksOfRun, stopLapsedTasksOfStoppingJobs, type ExhaustedTask } from './leases.js';
export { jobsWithClaimableTasks, jobsWithNothingOpen, tryHousekeepingLock, unplannedJobs, type HungryJob } from './housekeeping.js';
export { livePools, markSilentWorkersStopped, taskIdsOfTeam, WORKER_SILENT_SECONDS } from './workers.js';
export { busyMilliseconds, invocationTotals, latencyBucketSums, type InvocationTotals } from './metrics.js';
export {
  comparisonSummaryColumns,
  comparisonsReadyButWaiting,
  failStuckComparisons,
  snapshotDifferences,
  startComparisonIfJobsEnded,
  waitingComparisonsOfJob,
  type SnapshotDifference,
} from './comparisons.js';
export { publishJobStop, subscribeJobStops } from './notify.js';
