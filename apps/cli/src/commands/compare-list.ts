import type { Command } from 'commander';
import type { ComparisonSummary } from '@sluice/contracts';
import { clientAction, printJson, type JsonFlag } from '../client/client-action.js';
import { integer } from '../flag-parsers.js';
import { formatComparisonsTable } from '../output/comparison-text.js';

interface ListComparisonsFlags extends JsonFlag {
  limit: number;
  all?: boolean;
}

export function registerListComparisons(compare: Command): void {
  compare
    .command('list')
    .description('List comparisons, newest first.')
    .option('--limit <n>', 'at most this many comparisons', integer('--limit', 1, 100), 20)
    .option('--all', 'every comparison, page after page')
    .option('--json', 'print {"items": [...], "nextCursor": ...} as JSON')
    .action(
      clientAction(async ({ client, json }, flags: ListComparisonsFlags) => {
        const items: ComparisonSummary[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.comparisons.list({ limit: flags.all ? 100 : flags.limit, cursor });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (flags.all && cursor);
        if (json) return printJson({ items, nextCursor: cursor ?? null });
        if (items.length === 0) return void process.stdout.write('No comparisons yet: sluice compare create --help\n');
        process.stdout.write(`${formatComparisonsTable(items)}\n`);
        if (cursor) process.stderr.write('(more comparisons: --all shows every one, --limit more at once)\n');
      }),
    );
}
