import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { formatModelsTable } from '../../output/model-text.js';

export function registerListModels(models: Command): void {
  models
    .command('list')
    .description('List the registered models.')
    .option('--json', 'print the models as a JSON array')
    .action(
      clientAction(async ({ client, json }, _flags: JsonFlag) => {
        const all = await client.models.list();
        if (json) printJson(all);
        else process.stdout.write(all.length ? `${formatModelsTable(all)}\n` : 'No models yet: register one with `sluice models create`.\n');
      }),
    );
}
