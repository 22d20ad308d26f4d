import type { ModelView } from '@sluice/contracts';
import { formatTime } from './format.js';
import { formatKeyValues, formatTable } from './table.js';

export function formatModelsTable(models: ModelView[]): string {
  return formatTable(
    ['NAME', 'KIND', 'SERVER', 'ARTIFACT', 'CREATED'],
    models.map((m) => [m.name, m.kind, shorten(m.url ?? m.command ?? (m.handler ? `handler: ${m.handler}` : ''), 60), m.artifactUri ?? '', formatTime(m.createdAt)]),
  );
}

export function formatModelDescription(model: ModelView): string {
  const jobs = model.jobs ?? [];
  const block = formatKeyValues([
    ['Name', model.name],
    ['Kind', model.kind],
    ['URL', model.url ?? undefined],
    ['Command', model.command ?? undefined],
    ['Handler', model.handler ?? undefined],
    ['Port', model.port ?? undefined],
    ['Artifact', model.artifactUri ?? undefined],
    ['Environment', Object.keys(model.env).length ? Object.entries(model.env).map(([k, v]) => `${k}=${v}`).join('\n') : undefined],
    ['SecretEnvironment', Object.keys(model.secretEnv ?? {}).length ? Object.entries(model.secretEnv ?? {}).map(([k, v]) => `${k}=${v}`).join('\n') : undefined],
    ['StartupTimeout', `${model.startupTimeoutSeconds} s`],
    ['Description', model.description ?? undefined],
    ['Created', `${formatTime(model.createdAt)} by ${model.createdBy}`],
    ['Jobs', jobs.length ? 'newest first:' : '(none)'],
  ]);
  if (jobs.length === 0) return block;
  const table = formatTable(['NAME', 'STATUS', 'CREATED'], jobs.map((j) => [j.name, j.status, formatTime(j.creationTime)]));
  return `${block}\n${table.replace(/^/gm, '  ')}`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
