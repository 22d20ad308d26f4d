import type { ModelRow } from '@sluice/db';
import type { ModelView } from '@sluice/contracts';
import { maskSecretEnv } from './secret-env.js';

export function toModelView(row: ModelRow): ModelView {
  return {
    name: row.name,
    kind: row.kind as ModelView['kind'],
    url: row.url,
    command: row.command,
    handler: row.handler,
    artifactUri: row.artifactUri,
    port: row.port,
    env: row.env,
    secretEnv: maskSecretEnv(row.secretEnv ?? {}),
    startupTimeoutSeconds: row.startupTimeoutSeconds,
    description: row.description,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}
