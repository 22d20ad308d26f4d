import type { ModelView } from '@sluice/contracts';

/** What a model runs: the URL, the command, or the handler, by kind. */
export function modelTarget(model: Pick<ModelView, 'kind' | 'url' | 'command' | 'handler'>): string {
  if (model.kind === 'http') return model.url ?? '—';
  if (model.kind === 'command') return model.command ?? '—';
  return model.handler ?? '—';
}
