import { Option, type Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { UsageError } from '../../exit-codes.js';
import { collect, integer, keyValuePairs } from '../../flag-parsers.js';

interface CreateModelFlags extends JsonFlag {
  name: string;
  url?: string;
  command?: string;
  artifact?: string;
  port?: number;
  env: string[];
  startupTimeout?: number;
  description?: string;
}

export function registerCreateModel(models: Command): void {
  models
    .command('create')
    .description('Register a model: the URL of a running server, or a command that starts one on $PORT.')
    .requiredOption('--name <name>', 'the model name jobs refer to (letters, digits, hyphens)')
    .addOption(new Option('--url <url>', 'URL of a running server speaking the SageMaker container protocol').conflicts('command'))
    .option('--command <cmd>', 'command that starts the model server on $PORT (run by each worker through sh -c)')
    .option('--artifact <uri>', 'model artifact (s3:// or file://; a .tar.gz is unpacked), given to --command as SM_MODEL_DIR')
    .option('--port <port>', 'a fixed port the command always listens on (SageMaker containers: 8080)', integer('--port', 1, 65535))
    .option('--env <K=V>', 'environment variable for the command (repeatable)', collect, [])
    .option('--startup-timeout <seconds>', 'how long a worker waits for the model to answer /ping (default 120)', integer('--startup-timeout', 1, 3600))
    .option('--description <text>', 'what the model is, for people')
    .option('--json', 'print the model as JSON')
    .action(
      clientAction(async ({ client, json }, flags: CreateModelFlags) => {
        if (!flags.url && !flags.command) throw new UsageError('one of --url or --command is required');
        const model = await client.models.create.mutate({
          name: flags.name,
          kind: flags.url ? 'http' : 'command',
          url: flags.url,
          command: flags.command,
          artifactUri: flags.artifact,
          port: flags.port,
          env: keyValuePairs('--env', flags.env),
          startupTimeoutSeconds: flags.startupTimeout,
          description: flags.description,
        });
        if (json) printJson(model);
        else process.stdout.write(`Registered model '${model.name}' (${model.kind === 'http' ? model.url : `command: ${model.command}`})\n`);
      }),
    );
}
