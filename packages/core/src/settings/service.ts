import { z } from 'zod';
import { databaseSettings, type DatabaseSettings } from '@sluice/db';
import { storageConfigFromEnv, type StorageConfig } from '@sluice/engine';
import { ZAuthSettingsSchema } from '../auth/settings.js';
import { ZSecretKeySettingsSchema } from '../keys/secret-box.js';

/** Any environment: a part that reads its variables itself gets them all. */
const ZAnyEnvSchema = z.record(z.string(), z.string().optional());

/** DATABASE_URL, SLUICE_HOME (packages/db's databaseSettings is their home). */
export const ZDatabaseSettingsSchema: z.ZodType<DatabaseSettings, NodeJS.ProcessEnv> = ZAnyEnvSchema.transform((env) => databaseSettings(env));

/** S3_ENDPOINT, AWS_REGION, S3_FORCE_PATH_STYLE (the engine's storageConfigFromEnv is their home). */
export const ZStorageSettingsSchema: z.ZodType<StorageConfig, NodeJS.ProcessEnv> = ZAnyEnvSchema.transform((env, ctx) => {
  try {
    return storageConfigFromEnv(env);
  } catch (error) {
    // Its messages start with the variable's name: "S3_ENDPOINT must be an http(s) URL...".
    const message = (error as Error).message;
    const variable = /^[A-Z0-9_]+/.exec(message)?.[0] ?? 'S3_ENDPOINT';
    ctx.addIssue({ code: 'custom', path: [variable], message: message.slice(variable.length).trim() });
    return z.NEVER;
  }
});

/**
 * The parts every server-side process (the API server, a worker) reads: its database, its object
 * store, sign-in and allowed locations (core/auth/settings.ts), and the key that seals secrets.
 */
export const SERVICE_SETTINGS_PARTS = {
  database: ZDatabaseSettingsSchema,
  storage: ZStorageSettingsSchema,
  auth: ZAuthSettingsSchema,
  secretKey: ZSecretKeySettingsSchema,
};
