import type { Command } from 'commander';
import { registerCreateModel } from './create.js';
import { registerDeleteModel } from './delete.js';
import { registerDescribeModel } from './describe.js';
import { registerListModels } from './list.js';

export function registerModelsCommands(program: Command): void {
  const models = program.command('models').description('Register and manage models (on the service at SLUICE_URL).');
  registerCreateModel(models);
  registerListModels(models);
  registerDescribeModel(models);
  registerDeleteModel(models);
}
