import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../client/client-action.js';
import { formatComparisonDescription } from '../output/comparison-text.js';

export function registerDescribeComparison(compare: Command): void {
  compare
    .command('describe')
    .description('Show a comparison: its jobs and, once computed, the variants side by side, pair agreement, accuracy and the first disagreements.')
    .argument('<name>', 'the comparison')
    .option('--json', 'print the comparison as JSON (every figure, every disagreement kept)')
    .action(
      clientAction(async ({ client, json }, _flags: JsonFlag, name: string) => {
        const view = await client.comparisons.describe({ name });
        if (json) printJson(view);
        else process.stdout.write(`${formatComparisonDescription(view)}\n`);
      }),
    );
}
