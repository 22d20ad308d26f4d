import { AppError, type Role } from '@sluice/contracts';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { schema } from '@sluice/db';
import type { StorageConfig } from '@sluice/engine';
import { DEFAULT_SHARD_SIZE_MB } from '@sluice/params';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from './auth/settings.js';
import type { JobQueue } from './queue/job-queue.js';

export type Database = PostgresJsDatabase<typeof schema>;

/** Who is asking. Every read and write is scoped by `team`. */
export interface Actor {
  /** The user's email, or `local` for the local admin (no sign-in). Jobs and models record it as createdBy. */
  user: string;
  /** The users row; null for the local admin, who has no row. */
  userId: string | null;
  /** The team the request acts in (teams.name): every read and write is scoped by it. */
  team: string;
  /** The user's role in `team`: viewers cannot change anything, only admins administer the team. */
  role: Role;
  /** Where the request came from, for the audit log; absent for work that no request started. */
  ip?: string | null;
  /**
   * How the request proved who it is. A request made with an API token (or a SageMaker access key)
   * may not mint more credentials: revoking a leaked one must be enough.
   */
  via?: 'session' | 'token' | 'access-key' | 'local';
}

/** Refuses to make a credential from a request that itself came with one (a token or an access key). */
export function requireSignedIn(actor: Actor, what: string): void {
  if (actor.via === 'token' || actor.via === 'access-key') {
    throw new AppError('FORBIDDEN', `${what} cannot be created with ${actor.via === 'token' ? 'an API token' : 'an access key'}: a leaked one could otherwise make more that outlive it; create it signed in to the dashboard, or with the operator's \`sluice tokens create\` / \`sluice keys create\``);
  }
}

/** The local admin of a single-user install (SLUICE_AUTH=local, no credentials sent). */
export const LOCAL_ACTOR: Actor = { user: 'local', userId: null, team: 'default', role: 'admin' };

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
  /** Sign-in, sessions, and which locations the API may use (SLUICE_AUTH, SLUICE_FILE_ROOTS...). */
  auth: AuthSettings;
}

export const DEFAULT_SETTINGS: CoreSettings = {
  leaseSeconds: 30,
  shardSizeBytes: DEFAULT_SHARD_SIZE_MB * 1024 * 1024,
  maxTaskAttempts: 3,
  region: 'us-east-1',
  account: '000000000000',
  secretKey: null,
  auth: DEFAULT_AUTH_SETTINGS,
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
