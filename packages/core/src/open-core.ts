import { createDb } from '@sluice/db';
import type { StorageConfig } from '@sluice/engine';
import { DEFAULT_SETTINGS, type Core, type CoreSettings } from './context.js';
import { authSettingsFromEnv } from './auth/settings.js';
import { secretKeyFromEnv } from './keys/secret-box.js';
import { JobQueue } from './queue/job-queue.js';

export interface OpenCoreOptions {
  databaseUrl: string;
  storage?: StorageConfig;
  settings?: Partial<CoreSettings>;
  /** Connections for Sluice's own queries (pg-boss keeps its own few). */
  maxConnections?: number;
}

/** Connects the job service to Postgres and pg-boss. The database must be migrated already. */
export async function openCore(options: OpenCoreOptions): Promise<Core & { close(): Promise<void> }> {
  // Every process that reads access keys (API, CLI) must agree on the key: it comes from the env,
  // parsed before connecting so a bad value fails fast.
  // The same goes for who may sign in and where the API may point (SLUICE_AUTH, SLUICE_FILE_ROOTS...).
  const settings = { ...DEFAULT_SETTINGS, secretKey: secretKeyFromEnv(), auth: authSettingsFromEnv(), ...options.settings };
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
