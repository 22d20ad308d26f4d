import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { EXIT } from './exit-codes.js';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.stderr.write(`sluice: ${(error as Error).message ?? error}\n`);
    process.exitCode = EXIT.failed;
  }
}
