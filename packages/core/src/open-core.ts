import { createDb } from '@sluice/db';
import type { StorageConfig } from '@sluice/engine';
import { DEFAULT_SETTINGS, type Core, type CoreSettings } from './context.js';
import { JobQueue } from './queue/job-queue.js';

export interface OpenCoreOptions {
  databaseUrl: string;
  storage?: StorageConfig;
  /**
   * Unset fields take DEFAULT_SETTINGS. A process passes what it parsed from its environment at
   * start-up (secretKey, auth...): every process that reads access keys must agree on the key.
   */
  settings?: Partial<CoreSettings>;
  /** Connections for Sluice's own queries (pg-boss keeps its own few). */
  maxConnections?: number;
}

/** Connects the job service to Postgres and pg-boss. The database must be migrated already. */
export async function openCore(options: OpenCoreOptions): Promise<Core & { close(): Promise<void> }> {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const { db, sql, close } = createDb(options.databaseUrl, { max: options.maxConnections ?? 8 });
  const queue = await JobQueue.start(options.databaseUrl);
  return {
    db,
    sql,
    queue,
    storage: options.storage,
    settings,
    close: async () => {
      await queue.stop();
      await close();
    },
  };
}
