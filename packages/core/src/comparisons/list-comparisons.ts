import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { AppError, ZListComparisonsSchema, type ComparisonSummary, type Page } from '@sluice/contracts';
import { comparisons, comparisonSummaryColumns } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { toComparisonSummary, variantJobs } from './comparison-view.js';

/**
 * The team's comparisons, newest first, a page at a time: keyset pagination on (creation time, id)
 * as listJobs does, so every page costs the same. The summary leaves the figures out (they can be
 * large); `records` says how many records were compared.
 */
export async function listComparisons(core: Core, actor: Actor, input: unknown): Promise<Page<ComparisonSummary>> {
  const query = parseInput(ZListComparisonsSchema, input ?? {});
  const c = comparisons;
  const where: SQL[] = [eq(c.team, actor.team)];
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor);
    where.push(or(lt(c.creationTime, time), and(eq(c.creationTime, time), lt(c.id, id)))!);
  }
  // Every column but the figures, which can be megabytes: only their record count is read.
  const rows = await core.db
    .select(comparisonSummaryColumns())
    .from(c)
    .where(and(...where))
    .orderBy(desc(c.creationTime), desc(c.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const jobs = await variantJobs(core, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toComparisonSummary(row, jobs.get(row.id) ?? [])),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.creationTime.toISOString(), last.id])).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(time);
    if (typeof time !== 'string' || typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('not a cursor');
    return [date, id];
  } catch {
    throw new AppError('VALIDATION', 'cursor: not a cursor from this listing (pass the nextCursor of the previous page)', [{ path: 'cursor', message: 'not a cursor from this listing' }]);
  }
}
