// The job service for this Next.js process: opened on the first API request (never at import
// time, so `next build` touches no database), once per process, and opened again after a failure.
// This file is the web server's entry point for settings: the environment is read here, once.
import { serverSettings, type ServerSettings } from '@sluice/api';
import { openCore, type Core } from '@sluice/core';
import { migrateDatabase, openDatabase } from '@sluice/db';

type OpenedCore = Core & { close(): Promise<void> };

// Kept on globalThis: `next dev` re-evaluates modules on every edit, and each evaluation would
// otherwise open another connection pool and pg-boss instance.
const holder = globalThis as typeof globalThis & { __sluiceCore?: Promise<OpenedCore>; __sluiceSettings?: ServerSettings };

/**
 * The server's settings (DATABASE_URL, SLUICE_HOME, S3_*, SLUICE_AUTH, SLUICE_FILE_ROOTS,
 * SLUICE_SECRET_KEY, SLUICE_INSTANCE_TYPE_POOLS...), parsed from the environment on first use and
 * kept: the route handlers sign requests in with them, and the use cases check locations against them.
 */
export function webServerSettings(): ServerSettings {
  holder.__sluiceSettings ??= serverSettings(process.env);
  return holder.__sluiceSettings;
}

/** DATABASE_URL, else the embedded PostgreSQL under SLUICE_HOME (or ./.sluice), migrated. */
async function openServerCore(): Promise<OpenedCore> {
  const settings = webServerSettings();
  const database = await openDatabase(settings.database);
  await migrateDatabase(database.url);
  return openCore({ databaseUrl: database.url, storage: settings.storage, settings: { secretKey: settings.secretKey, auth: settings.auth } });
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
