import { and, asc, eq, gt, ilike, inArray } from 'drizzle-orm';
import { LOG_LEVELS, ZListLogsSchema, type JobLogEntry, type LogLevelName, type Page } from '@sluice/contracts';
import { jobLogs } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { findJob } from '../jobs/find-job.js';
import { parseInput } from '../parse-input.js';

export interface NewLogEntry {
  jobId: string;
  level: LogLevelName;
  message: string;
  source?: string;
  workerId?: string;
  fields?: Record<string, unknown>;
  time?: Date;
}

/** Appends entries in one transaction (chunked statements); workers batch theirs every few seconds. */
export async function appendLogs(core: Core, entries: NewLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // One statement per chunk: PostgreSQL takes at most 65,535 parameters, 7 per row here. All or nothing.
  await core.db.transaction(async (tx) => {
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) await tx.insert(jobLogs).values(entries.slice(i, i + INSERT_CHUNK).map(toRow));
  });
}

/** Rows per INSERT of logs and metrics: well under PostgreSQL's 65,535 parameters a statement. */
const INSERT_CHUNK = 1000;

function toRow(e: NewLogEntry) {
  return {
    jobId: e.jobId,
    level: e.level,
    message: e.message.slice(0, 8192),
    source: e.source ?? 'sluice',
    workerId: e.workerId ?? null,
    fields: e.fields ?? null,
    time: e.time ?? new Date(),
  };
}

/**
 * A job's log in order, after a cursor: pass back `nextCursor` to get what came since (that is
 * how `--follow` tails a running job). `level` keeps entries at that level or above.
 */
export async function listLogs(core: Core, actor: Actor, input: unknown): Promise<Page<JobLogEntry>> {
  const query = parseInput(ZListLogsSchema, input);
  const job = await findJob(core, actor, query.name);
  const where = [eq(jobLogs.jobId, job.id)];
  if (query.after !== undefined) where.push(gt(jobLogs.id, query.after));
  if (query.level) where.push(inArray(jobLogs.level, LOG_LEVELS.slice(LOG_LEVELS.indexOf(query.level))));
  if (query.search) where.push(ilike(jobLogs.message, `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const rows = await core.db
    .select()
    .from(jobLogs)
    .where(and(...where))
    .orderBy(asc(jobLogs.id))
    .limit(query.limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map((r) => ({ id: r.id, time: r.time, level: r.level as LogLevelName, message: r.message, source: r.source, workerId: r.workerId, fields: r.fields })),
    nextCursor: String(last ? last.id : (query.after ?? 0)),
  };
}
