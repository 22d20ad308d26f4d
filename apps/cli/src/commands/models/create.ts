import type { ModelView } from '@sluice/contracts';
import { Option, type Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { UsageError } from '../../exit-codes.js';
import { collect, integer, keyValuePairs } from '../../flag-parsers.js';

interface CreateModelFlags extends JsonFlag {
  name: string;
  url?: string;
  command?: string;
  builtin?: string;
  artifact?: string;
  port?: number;
  env: string[];
  secretEnv: string[];
  startupTimeout?: number;
  description?: string;
}

export function registerCreateModel(models: Command): void {
  models
    .command('create')
    .description('Register a model: the URL of a running server, a command that starts one on $PORT, or a handler run inside the worker (--builtin).')
    .requiredOption('--name <name>', 'the model name jobs refer to (letters, digits, hyphens)')
    .addOption(new Option('--url <url>', 'URL of a running server speaking the SageMaker container protocol').conflicts('command'))
    .addOption(new Option('--command <cmd>', 'command that starts the model server on $PORT (run by each worker through sh -c)').conflicts('builtin'))
    .addOption(
      new Option('--builtin <handler>', 'a handler run inside each worker, no HTTP hop: franc, fasttext-langid, onnx, paddle-ocr, or the path of a handler module on the workers').conflicts(['url', 'port']),
    )
    .option('--artifact <uri>', 'model artifact (s3:// or file://; a .tar.gz is unpacked), given to --command as SM_MODEL_DIR (to a --builtin handler\'s modelFn)')
    .option('--port <port>', 'a fixed port the command always listens on (SageMaker containers: 8080)', integer('--port', 1, 65535))
    .option('--env <K=V>', 'environment variable for the command (repeatable)', collect, [])
    .option('--secret-env <K=V>', 'a secret environment variable for the command (repeatable): stored sealed, shown masked, given only to the model', collect, [])
    .option('--startup-timeout <seconds>', 'how long a worker waits for the model to answer /ping (default 120)', integer('--startup-timeout', 1, 3600))
    .option('--description <text>', 'what the model is, for people')
    .option('--json', 'print the model as JSON')
    .action(
      clientAction(async ({ client, json }, flags: CreateModelFlags) => {
        if (!flags.url && !flags.command && !flags.builtin) throw new UsageError('one of --url, --command or --builtin is required');
        const model = await client.models.create({
          name: flags.name,
          kind: flags.url ? 'http' : flags.builtin ? 'builtin' : 'command',
          url: flags.url,
          command: flags.command,
          handler: flags.builtin,
          artifactUri: flags.artifact,
          port: flags.port,
          env: keyValuePairs('--env', flags.env),
          secretEnv: keyValuePairs('--secret-env', flags.secretEnv),
          startupTimeoutSeconds: flags.startupTimeout,
          description: flags.description,
        });
        if (json) printJson(model);
        else process.stdout.write(`Registered model '${model.name}' (${describeServer(model)})\n`);
      }),
    );
}

function describeServer(model: ModelView): string {
  if (model.kind === 'http') return model.url ?? '';
  if (model.kind === 'builtin') return `builtin handler: ${model.handler}`;
  return `command: ${model.command}`;
}
