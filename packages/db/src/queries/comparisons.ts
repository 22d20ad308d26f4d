// Statements about comparisons: whether their jobs' input snapshots agree, starting one once all
// its jobs ended, and what housekeeping finds stuck.
import { getTableColumns, sql } from 'drizzle-orm';
import { comparisons, type ComparisonRow } from '../schema.js';
import { rowsOf, type Executor } from './rows.js';

/** One object present in one snapshot only, or in both with another size or ETag. */
export interface SnapshotDifference {
  key: string;
  aSize: number | null;
  aEtag: string | null;
  bSize: number | null;
  bEtag: string | null;
  /** How many objects differ in all (the same on every row). */
  total: number;
}

/**
 * The first `limit` objects, by relative key, where the input snapshots of jobs `a` and `b` differ.
 * A full join on the key in Postgres, so a snapshot of a million objects costs no memory here.
 */
export async function snapshotDifferences(db: Executor, a: string, b: string, limit: number): Promise<SnapshotDifference[]> {
  return rowsOf<SnapshotDifference>(
    await db.execute(sql`
        with a as (select relative_key, size, etag from job_objects where job_id = ${a}),
             b as (select relative_key, size, etag from job_objects where job_id = ${b})
        select coalesce(a.relative_key, b.relative_key) as key, a.size::float8 as "aSize", a.etag as "aEtag", b.size::float8 as "bSize", b.etag as "bEtag",
               count(*) over ()::int as total
        from a full join b on a.relative_key = b.relative_key
        where a.relative_key is null or b.relative_key is null or a.size <> b.size or a.etag <> b.etag
        order by 1
        limit ${limit}`),
  );
}

/**
 * WaitingForJobs → InProgress (start_time now) if none of the comparison's jobs is still running:
 * one conditional UPDATE, so of two jobs ending at once exactly one sees it flip. True when it did.
 */
export async function startComparisonIfJobsEnded(db: Executor, comparisonId: string): Promise<boolean> {
  const started = rowsOf(
    await db.execute(sql`
      update comparisons c set status = 'InProgress', start_time = now()
      where c.id = ${comparisonId} and c.status = 'WaitingForJobs'
        and not exists (
          select 1 from comparison_variants v join transform_jobs j on j.id = v.job_id
          where v.comparison_id = c.id and j.status not in ('Completed', 'Failed', 'Stopped'))
      returning c.id`),
  );
  return started.length > 0;
}

/** Ids of the comparisons of the job still WaitingForJobs (one indexed lookup for a job in none). */
export async function waitingComparisonsOfJob(db: Executor, jobId: string): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select distinct c.id from comparison_variants v join comparisons c on c.id = v.comparison_id
      where v.job_id = ${jobId} and c.status = 'WaitingForJobs'`),
  );
  return rows.map((r) => r.id);
}

/** Ids of comparisons waiting over 30 s though all their jobs ended (the hook that starts them could not run). */
export async function comparisonsReadyButWaiting(tx: Executor): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
        select c.id from comparisons c where c.status = 'WaitingForJobs' and c.creation_time < now() - interval '30 seconds'
          and not exists (select 1 from comparison_variants v join transform_jobs j on j.id = v.job_id
                          where v.comparison_id = c.id and j.status not in ('Completed', 'Failed', 'Stopped'))`),
  );
  return rows.map((r) => r.id);
}

/**
 * Fails comparisons whose computation has outlived every retry of its `compare` message (3
 * attempts of up to an hour each: the compare queue's policy), saying what to do.
 */
export async function failStuckComparisons(tx: Executor): Promise<void> {
  await tx.execute(sql`
      update comparisons set status = 'Failed', end_time = now(),
        failure_reason = 'computing the comparison did not finish after every retry (the worker stopped or kept failing); see the workers'' logs, then compare the jobs again under another name'
      where status = 'InProgress' and end_time is null and start_time < now() - interval '200 minutes'`);
}

/**
 * Every column of a comparison but its figures, which can be megabytes: `results` holds only their
 * record count. For listings.
 */
export function comparisonSummaryColumns() {
  const { results: _figures, ...columns } = getTableColumns(comparisons);
  return { ...columns, results: sql<ComparisonRow['results']>`jsonb_build_object('records', ${comparisons.results}->'records')` };
}
