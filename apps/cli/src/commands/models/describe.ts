import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { formatModelDescription } from '../../output/model-text.js';

export function registerDescribeModel(models: Command): void {
  models
    .command('describe')
    .description('Show a model and the jobs that used it.')
    .argument('<name>', 'the model')
    .option('--json', 'print the model as JSON')
    .action(
      clientAction(async ({ client, json }, _flags: JsonFlag, name: string) => {
        const model = await client.models.get({ name });
        if (json) printJson(model);
        else process.stdout.write(`${formatModelDescription(model)}\n`);
      }),
    );
}
