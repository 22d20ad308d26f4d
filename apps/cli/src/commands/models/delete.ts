import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';

export function registerDeleteModel(models: Command): void {
  models
    .command('delete')
    .description('Delete a model no running job uses (finished jobs keep its name).')
    .argument('<name>', 'the model')
    .option('--json', 'print {"deleted": NAME}')
    .action(
      clientAction(async ({ client, json }, _flags: JsonFlag, name: string) => {
        await client.models.delete({ name });
        if (json) printJson({ deleted: name });
        else process.stdout.write(`Deleted model '${name}'\n`);
      }),
    );
}
