#!/usr/bin/env node
// sluice-model-server: a handler module served over SageMaker's container contract, run from the
// workspace's TypeScript sources; tsx compiles them (and a handler written in TypeScript) on load.
import { registerSources } from '../../../scripts/register-sources.mjs';

await registerSources();
const { runModelServerCli } = await import('../src/cli.ts');
try {
  await runModelServerCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`sluice-model-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
