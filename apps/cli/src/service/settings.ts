// The settings of `sluice up`, parsed once when the command starts and passed down: nothing under
// service/ reads process.env. Each variable and its default has one home (the parts below come
// from the packages that use them); the README's configuration table lists them. The admin
// commands' settings are in admin-settings.ts; client commands (SLUICE_URL, SLUICE_TOKEN) read
// theirs in client/.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_SETTINGS_PARTS } from '@sluice/api';
import { envSchema, parseSettings } from '@sluice/core';
import { WORKER_SETTINGS_PARTS } from '@sluice/worker';

/** `sluice up`: one process that serves the API and the dashboard and runs workers reads both kinds. */
const ZLocalServiceSettingsSchema = envSchema({ ...SERVER_SETTINGS_PARTS, ...WORKER_SETTINGS_PARTS });

export type LocalServiceSettings = ReturnType<typeof localServiceSettings>;

export function localServiceSettings(env: NodeJS.ProcessEnv) {
  return {
    ...parseSettings(ZLocalServiceSettingsSchema, env),
    /** SLUICE_WEB_DIR: the built dashboard; default apps/web beside apps/cli when run from the repository. */
    webDir: env.SLUICE_WEB_DIR?.trim() || repositoryWebDir(),
  };
}

/**
 * apps/web, when this runs from the repository's sources (a `.ts` module, compiled by tsx); an
 * installed `sluice` is a bundle with no dashboard beside it, so it has no default.
 */
function repositoryWebDir(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? resolve(dirname(here), '../../../web') : undefined;
}
