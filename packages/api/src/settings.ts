import { envSchema, parseSettings, SERVICE_SETTINGS_PARTS } from '@sluice/core';
import type { z } from 'zod';
import { ZInstanceTypePoolsSettingsSchema } from './sagemaker/instance-pools.js';

/**
 * An API server's settings (the dashboard's Next.js server, `sluice up`): the service's (database,
 * object store, sign-in, secret key) and the SageMaker API's InstanceType → pool map, parsed once
 * by the entry point and passed down. Nothing below reads process.env.
 */
export const SERVER_SETTINGS_PARTS = {
  ...SERVICE_SETTINGS_PARTS,
  instanceTypePools: ZInstanceTypePoolsSettingsSchema,
};

export const ZServerSettingsSchema = envSchema(SERVER_SETTINGS_PARTS);
export type ServerSettings = z.output<typeof ZServerSettingsSchema>;

/** Parses a server's environment; a bad value is a SettingsError naming the variable and the rule. */
export function serverSettings(env: NodeJS.ProcessEnv): ServerSettings {
  return parseSettings(ZServerSettingsSchema, env);
}
