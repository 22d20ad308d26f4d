import { AppError } from '@sluice/contracts';
import type { ModelRow } from '@sluice/db';
import type { Core } from '../context.js';
import { openSecret, sealSecret } from '../keys/secret-box.js';
import { validationError } from '../parse-input.js';

/** What every view shows in place of a secret env value. */
export const MASKED = '••••';

/**
 * Seals each secret env value with SLUICE_SECRET_KEY for the models table. Without a key there is
 * nothing to seal with: refused, saying how to get one (local installs get one from `sluice up`).
 */
export function sealSecretEnv(core: Core, secretEnv: Record<string, string>): Record<string, string> {
  const names = Object.keys(secretEnv);
  if (names.length === 0) return {};
  const key = core.settings.secretKey;
  if (!key) {
    throw validationError([
      {
        path: 'secretEnv',
        message: 'secret env values are stored sealed with SLUICE_SECRET_KEY, which is not set: set it (32+ characters, e.g. `openssl rand -base64 32`, the same in every process) or run `sluice up` in local mode, which makes one under SLUICE_HOME',
      },
    ]);
  }
  return Object.fromEntries(names.map((name) => [name, sealSecret(secretEnv[name]!, key)]));
}

/** The names of the secret env values, each masked: how every model view shows them. */
export function maskSecretEnv(sealed: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(sealed).map((name) => [name, MASKED]));
}

/**
 * The secret env values in clear, for the worker that starts the model's process and for nothing
 * else. A worker without the key (or with another) fails the model's start saying which setting.
 */
export function openSecretEnv(core: Core, model: Pick<ModelRow, 'name' | 'secretEnv'>): Record<string, string> {
  const entries = Object.entries(model.secretEnv ?? {});
  if (entries.length === 0) return {};
  try {
    return Object.fromEntries(entries.map(([name, sealed]) => [name, openSecret(sealed, core.settings.secretKey)]));
  } catch {
    throw new AppError('INTERNAL', `model '${model.name}' has secret env values this worker cannot open: set SLUICE_SECRET_KEY on every worker to the key the model was created with`);
  }
}
