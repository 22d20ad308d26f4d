import { parseArgs } from 'node:util';
import { BUILTIN_HANDLER_NAMES, loadHandler } from './load-handler.js';
import { startModelServer } from './server.js';

const USAGE = `usage: sluice-model-server --handler <name|path> [--model-dir DIR] [--port N] [--host ADDR]

Serves a handler (a module exporting predictFn and optionally modelFn, inputFn, outputFn, or a
built-in: ${BUILTIN_HANDLER_NAMES.join(', ')}) over the SageMaker container contract: GET /ping,
POST /invocations, GET /execution-parameters.
  --handler     built-in name, or path to the handler module (.js, .mjs, .ts)
  --model-dir   the unpacked model artifact given to modelFn (default: $SM_MODEL_DIR)
  --port        default: $PORT, else 8080
  --host        default: 127.0.0.1 (use 0.0.0.0 in a container)
`;

/** The sluice-model-server command: returns once listening; SIGTERM/SIGINT close it. */
export async function runModelServerCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      handler: { type: 'string' },
      'model-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.handler) throw new Error(`--handler is required\n${USAGE}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be an integer from 0 to 65535, not ${values.port}`);

  const handler = await loadHandler(values.handler);
  const server = await startModelServer(handler, {
    ...(port !== undefined ? { port } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values['model-dir'] ? { modelDir: values['model-dir'] } : {}),
    // This command is the model container's entry point: PORT, SM_MODEL_DIR and SageMaker's
    // SAGEMAKER_* come from its environment, as a SageMaker container's do.
    env: process.env,
  });
  process.stdout.write(`sluice-model-server: handler ${values.handler} listening on ${server.url}\n`);
  const stop = () => {
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
