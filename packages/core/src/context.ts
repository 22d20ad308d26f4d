import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { schema } from '@sluice/db';
import type { StorageConfig } from '@sluice/engine';
import type { JobQueue } from './queue/job-queue.js';

export type Database = PostgresJsDatabase<typeof schema>;

/** Who is asking. Every read and write is scoped by `team`. */
export interface Actor {
  user: string;
  team: string;
}

/** The local admin of a single-user install (no sign-in configured). */
export const LOCAL_ACTOR: Actor = { user: 'local', team: 'default' };

export interface CoreSettings {
  /** A task's lease: a worker that stops renewing it for this long loses the task to another. */
  leaseSeconds: number;
  /** Line objects larger than this are cut into shards (a job may set its own). */
  shardSizeBytes: number;
  /** A task whose worker died this many times fails instead of running again. */
  maxTaskAttempts: number;
  /** For ARNs in SageMaker's form. */
  region: string;
  account: string;
  /** Seals access-key secrets at rest (SLUICE_SECRET_KEY); null stores them as plain text. */
  secretKey: string | null;
}

export const DEFAULT_SETTINGS: CoreSettings = {
  leaseSeconds: 30,
  shardSizeBytes: 256 * 1024 * 1024,
  maxTaskAttempts: 3,
  region: 'us-east-1',
  account: '000000000000',
  secretKey: null,
};

/** What the job service works with; built once per process by the server or the worker. */
export interface Core {
  db: Database;
  /** The raw client, for LISTEN/NOTIFY. */
  sql: Sql;
  queue: JobQueue;
  storage: StorageConfig | undefined;
  settings: CoreSettings;
}
