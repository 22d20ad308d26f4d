import { Command } from 'commander';
import { registerJobsCommands } from './commands/jobs/index.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerModelsCommands } from './commands/models/index.js';
import { registerTokensCommands } from './commands/tokens.js';
import { registerTransformCommand } from './commands/transform.js';
import { registerUpCommand } from './commands/up.js';
import { registerUsersCommands } from './commands/users.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerCompareCommands } from './commands/compare.js';

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: batch inference over object storage, the open equivalent of SageMaker Batch Transform.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerTransformCommand(program);
  registerUpCommand(program);
  registerWorkerCommand(program);
  registerMigrateCommand(program);
  registerKeysCommands(program);
  registerModelsCommands(program);
  registerJobsCommands(program);
  registerCompareCommands(program);
  registerUsersCommands(program);
  registerTokensCommands(program);
  return program;
}
