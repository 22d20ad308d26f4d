'use client';
import { useQueries } from '@tanstack/react-query';
import Link from 'next/link';
import type { ComparisonView, JobView } from '@sluice/contracts';
import { formatCount, formatDuration, jobDurationMs, percent } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { StatusBadge } from './status-badge';

const LIVE_REFRESH_MS = 2_000;
const cell = 'px-3 py-2 align-top';

/**
 * The comparison's jobs in variant order, each linking to its page. While the comparison waits for
 * them, each job's own progress is fetched live: the comparison row only knows their status.
 */
export function ComparisonJobs({ comparison, live }: { comparison: ComparisonView; live: boolean }) {
  const trpc = useTRPC();
  const jobs = useQueries({
    queries: comparison.jobs.map((job) => ({
      ...trpc.jobs.describe.queryOptions({ name: job.name }),
      // A job deleted since (status null) has nothing to show; a finished comparison needs no progress.
      enabled: live && job.status !== null,
      refetchInterval: live ? LIVE_REFRESH_MS : (false as const),
    })),
  });
  // The variants read one snapshot: a finished job's record count is every job's total, a better
  // measure than bytes read (a small object is read whole long before its records are answered).
  const totals = jobs.flatMap((q) => (q.data?.status === 'Completed' ? [q.data.progress.recordsIn] : []));
  const expectedRecords = totals.length > 0 ? Math.max(...totals) : null;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-comparison-jobs>
        <caption className="sr-only">The jobs compared, in variant order</caption>
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className="w-10 px-3 py-2 text-left font-semibold">#</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Job</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Model</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Status</th>
            {live && <th scope="col" className="px-3 py-2 text-left font-semibold">Progress</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {comparison.jobs.map((job, i) => {
            const detail = jobs[i]?.data;
            return (
              <tr key={`${i}:${job.name}`} data-job={job.name}>
                <td className={`${cell} tabular-nums text-slate-700`}>{i + 1}</td>
                <td className={`${cell} font-medium`}>
                  {job.status === null ? (
                    <span title="This job has been deleted">
                      {job.name} <span className="text-xs font-normal text-slate-600">(deleted)</span>
                    </span>
                  ) : (
                    <Link href={`/jobs/${encodeURIComponent(job.name)}`} className="text-blue-800 underline-offset-2 hover:underline">
                      {job.name}
                    </Link>
                  )}
                </td>
                <td className={cell}>{job.modelName ?? '—'}</td>
                <td className={cell}>{job.status === null ? '—' : <StatusBadge status={detail?.status ?? job.status} />}</td>
                {live && <td className={`${cell} min-w-64`}>{detail ? <JobProgressCell job={detail} expectedRecords={expectedRecords} /> : <span className="text-slate-600">—</span>}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function JobProgressCell({ job, expectedRecords }: { job: JobView; expectedRecords: number | null }) {
  const p = job.progress;
  const done = p.recordsOut + p.recordsFailed;
  const byRecords = expectedRecords !== null && expectedRecords > 0;
  const pct = job.status === 'Completed' ? 100 : byRecords ? percent(done, expectedRecords) : percent(p.bytesIn, p.bytesTotal);
  const duration = jobDurationMs(job);
  return (
    <div data-job-progress={job.name}>
      <div role="progressbar" aria-label={`${job.name} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="flex h-2 overflow-hidden rounded-full bg-slate-200">
        <div className="bg-blue-700 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs tabular-nums text-slate-700">
        {byRecords ? `${formatCount(done)} of ${formatCount(expectedRecords)} records` : `${pct}% of bytes read · ${formatCount(done)} records`} · {formatCount(p.objectsCompleted)}/{formatCount(p.objectsTotal)} objects
        {p.recordsFailed > 0 && <span className="font-semibold text-red-800"> · {formatCount(p.recordsFailed)} failed</span>}
        {duration !== null && ` · ${formatDuration(duration)}`}
      </p>
    </div>
  );
}
