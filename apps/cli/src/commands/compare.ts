import type { Command } from 'commander';
import { registerCreateComparison } from './compare-create.js';
import { registerDescribeComparison } from './compare-describe.js';
import { registerListComparisons } from './compare-list.js';

export function registerCompareCommands(program: Command): void {
  const compare = program
    .command('compare')
    .description('Compare production variants: several jobs over one identical input, analysed side by side (on the service at SLUICE_URL).');
  registerCreateComparison(compare);
  registerDescribeComparison(compare);
  registerListComparisons(compare);
}
