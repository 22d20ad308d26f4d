import { z } from 'zod';
import { ZShardSizeMBSchema, type TransformParams } from '@sluice/params';
import { ZEnvironmentSchema, ZResourceNameSchema, ZStorageUriSchema, ZTagsSchema } from './names.js';
import { ZDataTypeSchema, ZTransformParametersSchema, type TTransformParameters } from './transform.js';
import type { ComparisonStatus } from './comparisons.js';

export const JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const ZCreateJobSchema = z.object({
  name: ZResourceNameSchema,
  modelName: ZResourceNameSchema,
  input: z.object({ uri: ZStorageUriSchema, dataType: ZDataTypeSchema.default('S3Prefix') }),
  output: z.object({ uri: ZStorageUriSchema }),
  transform: ZTransformParametersSchema.default({}),
  instanceCount: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(1),
  /** SageMaker's InstanceType; names the pool of workers that runs the job. */
  instanceType: z.string().min(1).max(64).default('default'),
  /** Sluice: the pool of workers that runs the job, when it is not named by instanceType (the SageMaker API maps instance types to pools). */
  pool: z.string().min(1).max(64).optional(),
  environment: ZEnvironmentSchema.default({}),
  tags: ZTagsSchema.default([]),
  /** Idempotency: a second create with the same token returns the first job instead of failing. */
  clientToken: z.string().min(1).max(128).optional(),
  /** Sluice: Line objects larger than this are cut into shards run in parallel (default DEFAULT_SHARD_SIZE_MB). */
  shardSizeMB: ZShardSizeMBSchema.optional(),
  /** SageMaker fields kept and returned but not acted on: ExperimentConfig, VolumeKmsKeyId. */
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type TCreateJob = z.input<typeof ZCreateJobSchema>;

export const ZJobRefSchema = z.object({ name: ZResourceNameSchema });

export const ZListJobsSchema = z.object({
  status: z.array(z.enum(JOB_STATUSES)).optional(),
  nameContains: z.string().max(63).optional(),
  modelName: z.string().max(63).optional(),
  createdBy: z.string().max(256).optional(),
  creationTimeAfter: z.coerce.date().optional(),
  creationTimeBefore: z.coerce.date().optional(),
  lastModifiedTimeAfter: z.coerce.date().optional(),
  lastModifiedTimeBefore: z.coerce.date().optional(),
  sortBy: z.enum(['CreationTime', 'Name', 'Status']).default('CreationTime'),
  sortOrder: z.enum(['Ascending', 'Descending']).default('Descending'),
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(512).optional(),
});
export type TListJobs = z.input<typeof ZListJobsSchema>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const ZListLogsSchema = z.object({
  name: ZResourceNameSchema,
  /** Only entries after this id (the `nextCursor` of the previous call): how `logs --follow` polls. */
  after: z.number().int().min(0).optional(),
  /** Entries at this level or above. */
  level: z.enum(LOG_LEVELS).optional(),
  search: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const ZJobMetricsSchema = z.object({ name: ZResourceNameSchema });

/** Progress Sluice adds to SageMaker's DescribeTransformJob. */
export interface JobProgress {
  objectsTotal: number;
  objectsCompleted: number;
  objectsFailed: number;
  bytesTotal: number;
  bytesIn: number;
  bytesOut: number;
  recordsIn: number;
  recordsOut: number;
  recordsFailed: number;
  /** Seconds to completion at the current rate, when it can be estimated. */
  etaSeconds: number | null;
}

export interface JobView {
  name: string;
  arn: string;
  status: JobStatus;
  failureReason: string | null;
  modelName: string;
  input: { uri: string; dataType: 'S3Prefix' | 'ManifestFile' };
  output: { uri: string };
  transform: TTransformParameters;
  resolvedParameters: TransformParams | null;
  instanceCount: number;
  instanceType: string;
  environment: Record<string, string>;
  tags: Array<{ key: string; value: string }>;
  extra: Record<string, unknown>;
  shardSizeMB: number | null;
  clonedFrom: string | null;
  run: number;
  createdBy: string;
  creationTime: Date;
  transformStartTime: Date | null;
  transformEndTime: Date | null;
  lastModifiedTime: Date;
  progress: JobProgress;
  /**
   * DataCaptureConfig: the manifests of the job's inputs and outputs, named once it started and
   * written when it ends (when some object completed); null without capture or before it started.
   */
  capture: { input: string; output: string } | null;
  /** The comparisons this job is a variant of (describe only), for links from the job. */
  comparisons?: Array<{ name: string; status: ComparisonStatus }>;
}

export interface JobObjectView {
  input: string;
  relativeKey: string;
  size: number;
  status: string;
  output: string;
  errors: string | null;
  shards: number;
  records: number;
  recordsFailed: number;
  error: string | null;
}

export interface JobLogEntry {
  id: number;
  time: Date;
  level: LogLevelName;
  message: string;
  source: string;
  workerId: string | null;
  fields: Record<string, unknown> | null;
}

export interface JobMetricsView {
  /** One point per flush interval, all workers summed. */
  series: Array<{
    time: Date;
    recordsOut: number;
    recordsFailed: number;
    bytesIn: number;
    invocations: number;
    retries: number;
    errors: number;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
    /** Mean CPU % over the workers that reported it at this time (100 = one core); null when none did. */
    cpuPercent?: number | null;
    /** Resident memory summed over the workers that reported it: the fleet's footprint for this job. */
    rssBytes?: number | null;
  }>;
  summary: { invocations: number; retries: number; errors: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; outcomes: Record<string, number> };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const ZCloneJobSchema = z.object({
  name: ZResourceNameSchema,
  /** Default: `<name>-<yyyymmddhhmmss>`, as SageMaker names jobs. */
  newName: ZResourceNameSchema.optional(),
  /** Fields to change in the copy (same shape as create). */
  overrides: z.record(z.string(), z.unknown()).optional(),
});
export type TCloneJob = z.input<typeof ZCloneJobSchema>;
export type TJobRef = z.input<typeof ZJobRefSchema>;
export type TListLogs = z.input<typeof ZListLogsSchema>;
export type TJobMetrics = z.input<typeof ZJobMetricsSchema>;

/** A worker process of the fleet, as its heartbeat last described it. */
export interface WorkerView {
  id: string;
  host: string;
  pid: number;
  pools: string[];
  concurrency: number;
  startedAt: Date;
  heartbeatAt: Date;
  /** It beat within the last 30 s. */
  alive: boolean;
  currentTasks: Array<{ taskId: number; jobName: string; input: string }>;
  cpuPercent: number | null;
  rssBytes: number | null;
}
