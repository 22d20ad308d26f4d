// The job service for this Next.js process: opened on the first API request (never at import
// time, so `next build` touches no database), once per process, and opened again after a failure.
import { authSettingsFromEnv, openCore, type Core } from '@sluice/core';
import { defaultSluiceHome, migrateDatabase, resolveDatabaseUrl } from '@sluice/db';
import { storageConfigFromEnv } from '@sluice/engine';

type OpenedCore = Core & { close(): Promise<void> };

// Kept on globalThis: `next dev` re-evaluates modules on every edit, and each evaluation would
// otherwise open another connection pool and pg-boss instance.
const holder = globalThis as typeof globalThis & { __sluiceCore?: Promise<OpenedCore> };

/**
 * DATABASE_URL, else the embedded PostgreSQL under SLUICE_HOME (or ./.sluice), migrated. The auth
 * settings (SLUICE_AUTH, SLUICE_FILE_ROOTS...) come from the env too: the route handlers sign
 * requests in with them, and the use cases check locations against them.
 */
async function openServerCore(env: NodeJS.ProcessEnv = process.env): Promise<OpenedCore> {
  const auth = authSettingsFromEnv(env);
  const database = await resolveDatabaseUrl({ env, home: defaultSluiceHome(env) });
  await migrateDatabase(database.url);
  return openCore({ databaseUrl: database.url, storage: storageConfigFromEnv(), settings: { auth } });
}

export function serverCore(): Promise<OpenedCore> {
  if (!holder.__sluiceCore) {
    holder.__sluiceCore = openServerCore().catch((error: unknown) => {
      holder.__sluiceCore = undefined;
      throw error;
    });
  }
  return holder.__sluiceCore;
}
