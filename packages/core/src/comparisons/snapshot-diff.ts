import { snapshotDifferences, type Executor } from '@sluice/db';

/** How many differences a message names before it says "and N more". */
const NAMED = 5;

interface SnapshotJob {
  id: string;
  name: string;
}

/**
 * Why the jobs' input snapshots are not identical, or undefined when they are. Snapshots are
 * identical when their (relative key, size, ETag) lists are equal. Each job is compared with the
 * first in Postgres (a full join on the key), so a snapshot of a million objects costs no memory
 * here; the message names the first few differences and counts the rest.
 */
export async function snapshotDifference(db: Executor, jobs: SnapshotJob[]): Promise<string | undefined> {
  const [first, ...rest] = jobs;
  const named: string[] = [];
  let total = 0;
  for (const job of rest) {
    const rows = await snapshotDifferences(db, first!.id, job.id, NAMED);
    total += rows[0]?.total ?? 0;
    for (const row of rows) {
      if (named.length >= NAMED) break;
      if (row.aSize === null) named.push(`'${row.key}' is only in job '${job.name}'`);
      else if (row.bSize === null) named.push(`'${row.key}' is only in job '${first!.name}'`);
      else named.push(`'${row.key}' is ${describe(row.aSize, row.aEtag)} in job '${first!.name}' but ${describe(row.bSize, row.bEtag)} in job '${job.name}'`);
    }
  }
  if (total === 0) return undefined;
  const more = total - named.length;
  return (
    `the jobs' input snapshots differ (${total} object${total === 1 ? '' : 's'}): ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}. ` +
    'Compare jobs that read the same input objects, or create the comparison with variants so that every job shares one snapshot'
  );
}

function describe(size: number, etag: string | null): string {
  return `${size} B (ETag ${etag})`;
}
