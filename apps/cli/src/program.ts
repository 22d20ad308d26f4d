import { Command } from 'commander';
import { registerTransformCommand } from './commands/transform.js';

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: batch inference over object storage, the open equivalent of SageMaker Batch Transform.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerTransformCommand(program);
  return program;
}
