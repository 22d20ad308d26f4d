// The settings of the admin commands (`sluice keys|users|tokens`), parsed once when the command
// starts. Kept apart from `sluice up`'s so that these commands load no API or worker code.
import { envSchema, parseSettings, SERVICE_SETTINGS_PARTS } from '@sluice/core';

/** `sluice keys|users|tokens`: the database, with the key that seals secrets and the sign-in settings. */
const ZAdminSettingsSchema = envSchema(SERVICE_SETTINGS_PARTS);

export type AdminSettings = ReturnType<typeof adminSettings>;

export function adminSettings(env: NodeJS.ProcessEnv) {
  return parseSettings(ZAdminSettingsSchema, env);
}
