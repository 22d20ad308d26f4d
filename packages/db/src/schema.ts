// Sluice's tables, in one module (drizzle). Migrations in ../drizzle are generated from this file
// with `npm run db:generate -w @sluice/db`; never edit a generated migration by hand.
//
// Counters that the jobs list shows (records, bytes, objects) are kept on the job row and updated
// by workers as tasks finish, so listing 10,000 jobs never aggregates tasks.
import { sql } from 'drizzle-orm';
import { ZJobOptionsSchema, ZTransformParamsSchema, ZTransformRequestSchema, type JobOptions, type TransformParams, type TransformRequest } from '@sluice/params';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

/**
 * A jsonb column whose value is parsed by its schema when read, so what comes back from the table
 * is checked and typed, never cast. Written as jsonb writes (JSON text); the SQL type is jsonb, so
 * no migration follows from it.
 */
function parsedJsonb<T>(name: string, parse: (value: unknown) => T) {
  return customType<{ data: T; driverData: unknown }>({
    dataType: () => 'jsonb',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => {
      try {
        return parse(typeof value === 'string' ? JSON.parse(value) : value);
      } catch (error) {
        throw new Error(`${name} holds a value its schema refuses: ${(error as Error).message}`);
      }
    },
  })(name);
}

/** A registered way to get inferences. */
export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    team: text('team').notNull().default('default'),
    name: text('name').notNull(),
    /** 'http' (a running server), 'command' (started by each worker), 'builtin' (a handler run inside the worker). */
    kind: text('kind').notNull(),
    url: text('url'),
    command: text('command'),
    /** kind builtin: the handler's built-in name (`franc`) or module path. */
    handler: text('handler'),
    /** A model artifact (a `.tar.gz` is unpacked) given to a command as SM_MODEL_DIR. */
    artifactUri: text('artifact_uri'),
    /** A fixed port the command listens on (SageMaker containers: 8080): one instance per host. */
    port: integer('port'),
    env: jsonb('env').$type<Record<string, string>>().notNull().default({}),
    /** Env values marked secret, each sealed with SLUICE_SECRET_KEY (`v1:`...); shown masked, given to the model only. */
    secretEnv: jsonb('secret_env').$type<Record<string, string>>().notNull().default({}),
    startupTimeoutSeconds: integer('startup_timeout_seconds').notNull().default(120),
    description: text('description'),
    createdBy: text('created_by').notNull().default('local'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('models_team_name').on(t.team, t.name)],
);

/** One transform job: SageMaker's request, its status, and counters kept up to date by workers. */
export const transformJobs = pgTable(
  'transform_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    team: text('team').notNull().default('default'),
    name: text('name').notNull(),
    arn: text('arn').notNull(),
    /** Null once the model is deleted; `modelName` keeps what the job ran. */
    modelId: uuid('model_id').references(() => models.id, { onDelete: 'set null' }),
    modelName: text('model_name').notNull(),
    status: text('status').notNull(),
    failureReason: text('failure_reason'),
    dataType: text('data_type').notNull(),
    inputUri: text('input_uri').notNull(),
    outputUri: text('output_uri').notNull(),
    /** The transform parameters as requested, checked with SageMaker's rules when created. */
    request: parsedJsonb<TransformRequest>('request', (value) => ZTransformRequestSchema.parse(value)).notNull(),
    /** Parameters as decided with the model's /execution-parameters, once a worker asked. */
    resolvedParams: parsedJsonb<TransformParams>('resolved_params', (value) => ZTransformParamsSchema.parse(value)),
    instanceCount: integer('instance_count').notNull(),
    /** The pool that runs the job (InstanceType). */
    pool: text('pool').notNull(),
    instanceType: text('instance_type').notNull(),
    environment: jsonb('environment').$type<Record<string, string>>().notNull().default({}),
    tags: jsonb('tags').$type<Array<{ key: string; value: string }>>().notNull().default([]),
    /** SageMaker fields kept and returned but not acted on (ExperimentConfig, VolumeKmsKeyId). */
    extra: jsonb('extra').$type<Record<string, unknown>>().notNull().default({}),
    /** Sluice options beside the request: the sharding threshold. */
    options: parsedJsonb<JobOptions>('options', (value) => ZJobOptionsSchema.parse(value)).notNull().default({}),
    clientToken: text('client_token'),
    clonedFrom: text('cloned_from'),
    /** Variant jobs created together share one input snapshot: the job whose listing this one copies. */
    snapshotJobId: uuid('snapshot_job_id'),
    /** Bumped by retryFailed: tasks of earlier runs keep their history. */
    run: integer('run').notNull().default(1),
    createdBy: text('created_by').notNull().default('local'),
    // Milliseconds, as JavaScript dates hold them: list cursors carry this value and must match it exactly.
    creationTime: timestamp('creation_time', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    transformStartTime: timestamp('transform_start_time', { withTimezone: true, mode: 'date' }),
    transformEndTime: timestamp('transform_end_time', { withTimezone: true, mode: 'date' }),
    lastModifiedTime: timestamp('last_modified_time', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    objectsTotal: integer('objects_total').notNull().default(0),
    objectsCompleted: integer('objects_completed').notNull().default(0),
    objectsFailed: integer('objects_failed').notNull().default(0),
    bytesTotal: count('bytes_total'),
    recordsIn: count('records_in'),
    recordsOut: count('records_out'),
    recordsFailed: count('records_failed'),
    bytesIn: count('bytes_in'),
    bytesOut: count('bytes_out'),
  },
  (t) => [
    uniqueIndex('transform_jobs_team_name').on(t.team, t.name),
    uniqueIndex('transform_jobs_team_client_token').on(t.team, t.clientToken).where(sql`${t.clientToken} is not null`),
    index('transform_jobs_team_creation').on(t.team, t.creationTime.desc(), t.id),
    index('transform_jobs_team_status_creation').on(t.team, t.status, t.creationTime.desc()),
    index('transform_jobs_model').on(t.modelId),
  ],
);

/** The input snapshot: every object the job transforms, as listed when it was planned. */
export const jobObjects = pgTable(
  'job_objects',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => transformJobs.id, { onDelete: 'cascade' }),
    uri: text('uri').notNull(),
    relativeKey: text('relative_key').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    etag: text('etag').notNull(),
    /** Pending | InProgress | Completed | Failed | Stopped */
    status: text('status').notNull().default('Pending'),
    outputUri: text('output_uri').notNull(),
    errorsUri: text('errors_uri'),
    shards: integer('shards').notNull().default(1),
    records: count('records'),
    recordsFailed: count('records_failed'),
    bytesIn: count('bytes_in'),
    bytesOut: count('bytes_out'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('job_objects_job_key').on(t.jobId, t.relativeKey), index('job_objects_job_status').on(t.jobId, t.status)],
);

/** The unit of scheduling: one object, or one byte-range shard of a large Line object. */
export const tasks = pgTable(
  'tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => transformJobs.id, { onDelete: 'cascade' }),
    objectId: bigint('object_id', { mode: 'number' })
      .notNull()
      .references(() => jobObjects.id, { onDelete: 'cascade' }),
    run: integer('run').notNull().default(1),
    /** 'transform' runs the engine over the object or a shard; 'assemble' joins a sharded object's parts in order. */
    kind: text('kind').notNull().default('transform'),
    shardIndex: integer('shard_index').notNull().default(0),
    rangeStart: bigint('range_start', { mode: 'number' }),
    rangeEnd: bigint('range_end', { mode: 'number' }),
    /** Where the task writes: the `.out` URI, or a shard's part URI assembled later. */
    outputUri: text('output_uri').notNull(),
    /** Pending | Running | Completed | Failed | Stopped */
    status: text('status').notNull().default('Pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date' }),
    records: count('records'),
    recordsFailed: count('records_failed'),
    bytesIn: count('bytes_in'),
    bytesOut: count('bytes_out'),
    errorsUri: text('errors_uri'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // Claiming picks from these without looking at finished tasks, whatever the job's size.
    index('tasks_pending_transform').on(t.jobId, t.run, t.id).where(sql`${t.status} = 'Pending' and ${t.kind} = 'transform'`),
    index('tasks_pending_assemble').on(t.jobId, t.run, t.id).where(sql`${t.status} = 'Pending' and ${t.kind} = 'assemble'`),
    index('tasks_job_status').on(t.jobId, t.run, t.status),
    index('tasks_object').on(t.objectId, t.run),
    index('tasks_lease').on(t.status, t.leaseExpiresAt),
    index('tasks_owner').on(t.leaseOwner),
  ],
);

/** A job's log, in order; workers append in batches. */
export const jobLogs = pgTable(
  'job_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => transformJobs.id, { onDelete: 'cascade' }),
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    level: text('level').notNull(),
    message: text('message').notNull(),
    source: text('source').notNull().default('sluice'),
    workerId: text('worker_id'),
    fields: jsonb('fields').$type<Record<string, unknown>>(),
  },
  (t) => [index('job_logs_job_id').on(t.jobId, t.id), index('job_logs_job_level').on(t.jobId, t.level, t.id)],
);

/** Per-interval counters and latency histograms, one row per worker per flush. */
export const jobMetrics = pgTable(
  'job_metrics',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => transformJobs.id, { onDelete: 'cascade' }),
    workerId: text('worker_id').notNull(),
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull(),
    intervalMs: integer('interval_ms').notNull(),
    recordsIn: count('records_in'),
    recordsOut: count('records_out'),
    recordsFailed: count('records_failed'),
    bytesIn: count('bytes_in'),
    bytesOut: count('bytes_out'),
    invocations: integer('invocations').notNull().default(0),
    retries: integer('retries').notNull().default(0),
    invocationErrors: integer('invocation_errors').notNull().default(0),
    /** Attempts by outcome: {"200": 812, "503": 4, "timeout": 1}. */
    outcomes: jsonb('outcomes').$type<Record<string, number>>().notNull().default({}),
    /** Counts per latency bucket; the bounds are LATENCY_BUCKETS_MS (last bucket: above the last bound). */
    latencyBuckets: integer('latency_buckets').array().notNull(),
    latencySumMs: doublePrecision('latency_sum_ms').notNull().default(0),
    cpuPercent: real('cpu_percent'),
    rssBytes: bigint('rss_bytes', { mode: 'number' }),
  },
  (t) => [index('job_metrics_job_time').on(t.jobId, t.time)],
);

/** The fleet: one row per worker process, refreshed by its heartbeat. */
export const workers = pgTable(
  'workers',
  {
    id: text('id').primaryKey(),
    host: text('host').notNull(),
    pid: integer('pid').notNull(),
    pools: text('pools').array().notNull(),
    concurrency: integer('concurrency').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true, mode: 'date' }),
    currentTasks: jsonb('current_tasks').$type<Array<{ taskId: number; jobName: string; input: string }>>().notNull().default([]),
    cpuPercent: real('cpu_percent'),
    rssBytes: bigint('rss_bytes', { mode: 'number' }),
    version: text('version'),
  },
  (t) => [index('workers_heartbeat').on(t.heartbeatAt)],
);

/**
 * Access keys for the SageMaker-compatible API (AWS Signature V4). SigV4 verification signs the
 * request again, so the secret itself must be kept, not a hash of it: `secret` holds it sealed
 * with AES-256-GCM under SLUICE_SECRET_KEY (`v1:` prefix) or, without that key, as `plain:` text.
 */
export const accessKeys = pgTable(
  'access_keys',
  {
    accessKeyId: text('access_key_id').primaryKey(),
    secret: text('secret').notNull(),
    team: text('team').notNull().default('default'),
    user: text('user').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('access_keys_team_user').on(t.team, t.user)],
);

/**
 * A comparison of production variants: several jobs over one identical input snapshot, analysed
 * side by side. Created with the variant jobs ("compare these models on this data") or over
 * existing jobs whose snapshots are identical. Results are computed by a worker streaming the
 * variants' outputs in lockstep and stored whole in `results` (a ComparisonResults document).
 */
export const comparisons = pgTable(
  'comparisons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    team: text('team').notNull().default('default'),
    name: text('name').notNull(),
    /** WaitingForJobs | InProgress | Completed | Failed */
    status: text('status').notNull(),
    failureReason: text('failure_reason'),
    /** Where the true label of each record is in the input: a JSONPath (`$.lang`) or a CSV column (`_c3` / `3`). */
    groundTruth: text('ground_truth'),
    /** Where the label is in each output (JSON outputs): a JSONPath; null compares whole output records. */
    labelPath: text('label_path'),
    /** How many disagreeing records to keep, and other analysis options. */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** The computed figures (per variant, per pair, against ground truth, first disagreements). */
    results: jsonb('results').$type<Record<string, unknown>>(),
    createdBy: text('created_by').notNull().default('local'),
    creationTime: timestamp('creation_time', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    startTime: timestamp('start_time', { withTimezone: true, mode: 'date', precision: 3 }),
    endTime: timestamp('end_time', { withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [uniqueIndex('comparisons_team_name').on(t.team, t.name), index('comparisons_team_creation').on(t.team, t.creationTime.desc(), t.id)],
);

/** The jobs of a comparison, in variant order. */
export const comparisonVariants = pgTable(
  'comparison_variants',
  {
    comparisonId: uuid('comparison_id')
      .notNull()
      .references(() => comparisons.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** Null once the job is deleted; `jobName` keeps what was compared. */
    jobId: uuid('job_id').references(() => transformJobs.id, { onDelete: 'set null' }),
    jobName: text('job_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.comparisonId, t.position] }), index('comparison_variants_job').on(t.jobId)],
);

/** A person who signs in. Emails are stored lower-cased. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name'),
    /** argon2id (PHC string); null for users who only sign in through OIDC. */
    passwordHash: text('password_hash'),
    /** OIDC: the issuer and `sub` of the identity this user signs in with. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: createdAt(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('users_email').on(t.email), uniqueIndex('users_oidc').on(t.oidcIssuer, t.oidcSubject).where(sql`${t.oidcSubject} is not null`)],
);

/** A team: every model, job, log, metric, comparison and key belongs to one (`team` columns hold its name). */
export const teams = pgTable('teams', {
  name: text('name').primaryKey(),
  displayName: text('display_name'),
  createdAt: createdAt(),
});

/** Who is in which team, as what: admin | member | viewer. */
export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    team: text('team')
      .notNull()
      .references(() => teams.name, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.team] }), index('memberships_team').on(t.team)],
);

/** A dashboard sign-in. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The team the session works in (one of the user's memberships). */
    team: text('team').notNull(),
    /** Sent back by the dashboard in a header on every mutation (double-submit CSRF protection). */
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)],
);

/** Personal API tokens for the SDK and CLI (SLUICE_TOKEN). Shown once; only the SHA-256 is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    team: text('team').notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token (`slt_ab12…`), so a user can tell tokens apart. */
    prefix: text('prefix').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_user').on(t.userId)],
);

/** Sign-in attempts, for rate limiting by email and by address. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `email:<address>` or `ip:<address>`. */
    key: text('key').notNull(),
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [index('sign_in_attempts_key_time').on(t.key, t.time)],
);

/** What happened, by whom: sign-ins, token and key creation, job creation and stops... */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null for events outside any team (a failed sign-in). */
    team: text('team'),
    /** The user's email, or `local`. */
    actor: text('actor').notNull(),
    /** `sign-in`, `sign-in-failed`, `token.create`, `token.revoke`, `key.create`, `job.create`, `job.stop`... */
    action: text('action').notNull(),
    /** What it acted on: a job name, a token id... */
    target: text('target'),
    fields: jsonb('fields').$type<Record<string, unknown>>(),
    ip: text('ip'),
    time: timestamp('time', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_team_time').on(t.team, t.time.desc()), index('audit_log_actor_time').on(t.actor, t.time.desc())],
);

/** Upper bounds (ms) of the invocation latency histogram buckets; one more bucket holds the rest. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000, 600000] as const;

export type ModelRow = typeof models.$inferSelect;
export type TransformJobRow = typeof transformJobs.$inferSelect;
export type JobObjectRow = typeof jobObjects.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type JobLogRow = typeof jobLogs.$inferSelect;
export type JobMetricRow = typeof jobMetrics.$inferSelect;
export type WorkerRow = typeof workers.$inferSelect;
export type AccessKeyRow = typeof accessKeys.$inferSelect;
export type ComparisonRow = typeof comparisons.$inferSelect;
export type ComparisonVariantRow = typeof comparisonVariants.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;
