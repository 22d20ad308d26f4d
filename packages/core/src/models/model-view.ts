import type { ModelRow } from '@sluice/db';
import type { ModelView } from '@sluice/contracts';

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
    startupTimeoutSeconds: row.startupTimeoutSeconds,
    description: row.description,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}
