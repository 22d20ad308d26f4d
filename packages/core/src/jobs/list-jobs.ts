import { and, asc, desc, eq, gt, gte, ilike, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import { AppError, ZListJobsSchema, type JobView, type Page } from '@sluice/contracts';
import { transformJobs } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { toJobView } from './job-view.js';

/**
 * The team's jobs, filtered and sorted, a page at a time. Keyset pagination on (sort key, id), so
 * page 500 costs what page 1 does; the cursor is opaque to callers.
 */
export async function listJobs(core: Core, actor: Actor, input: unknown): Promise<Page<JobView>> {
  const query = parseInput(ZListJobsSchema, input ?? {});
  const t = transformJobs;
  const where: SQL[] = [eq(t.team, actor.team)];
  if (query.status?.length) where.push(inArray(t.status, query.status));
  if (query.nameContains) where.push(ilike(t.name, `%${escapeLike(query.nameContains)}%`));
  if (query.modelName) where.push(eq(t.modelName, query.modelName));
  if (query.createdBy) where.push(eq(t.createdBy, query.createdBy));
  if (query.creationTimeAfter) where.push(gte(t.creationTime, query.creationTimeAfter));
  if (query.creationTimeBefore) where.push(lte(t.creationTime, query.creationTimeBefore));
  if (query.lastModifiedTimeAfter) where.push(gte(t.lastModifiedTime, query.lastModifiedTimeAfter));
  if (query.lastModifiedTimeBefore) where.push(lte(t.lastModifiedTime, query.lastModifiedTimeBefore));

  const column = query.sortBy === 'Name' ? t.name : query.sortBy === 'Status' ? t.status : t.creationTime;
  const ascending = query.sortOrder === 'Ascending';
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor, query.sortBy);
    const after = ascending ? gt : lt;
    where.push(or(after(column, value), and(eq(column, value), after(t.id, id)))!);
  }
  const order = ascending ? asc : desc;
  const rows = await core.db
    .select()
    .from(t)
    .where(and(...where))
    .orderBy(order(column), order(t.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toJobView(row)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(query.sortBy, last) : null,
  };
}

function encodeCursor(sortBy: string, row: typeof transformJobs.$inferSelect): string {
  const value = sortBy === 'Name' ? row.name : sortBy === 'Status' ? row.status : row.creationTime.toISOString();
  return Buffer.from(JSON.stringify([sortBy, value, row.id])).toString('base64url');
}

function decodeCursor(cursor: string, sortBy: string): [string | Date, string] {
  try {
    const [by, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string, string];
    if (by !== sortBy || typeof value !== 'string' || typeof id !== 'string') throw new Error('mismatch');
    return [sortBy === 'CreationTime' ? new Date(value) : value, id];
  } catch {
    throw new AppError('VALIDATION', 'cursor: not a cursor from this listing (pass the nextCursor of the previous page with the same sortBy)', [
      { path: 'cursor', message: 'not a cursor from this listing' },
    ]);
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
