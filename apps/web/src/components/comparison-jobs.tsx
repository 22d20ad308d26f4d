'use client';
import { useQueries } from '@tanstack/react-query';
import type { ComparisonView, JobView } from '@sluice/contracts';
import { formatCount, formatDuration, jobDurationMs, percent } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { DataTable, TableLink, type DataTableProps } from './data-table';
import { StatusBadge } from './status-badge';

const LIVE_REFRESH_MS = 2_000;

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
  const rows = comparison.jobs.map((job, i): VariantJob => ({ ...job, detail: jobs[i]?.data }));
  return (
    <DataTable
      columns={variantJobColumns(live, expectedRecords)}
      data={rows}
      rowId={(job, i) => `${i}:${job.name}`}
      rowProps={(job) => ({ 'data-job': job.name })}
      tableProps={{ 'data-comparison-jobs': true }}
      caption="The jobs compared, in variant order"
    />
  );
}

/** A variant's job as the comparison names it, and the job itself once fetched (while the comparison is live). */
type VariantJob = ComparisonView['jobs'][number] & { detail: JobView | undefined };

function variantJobColumns(live: boolean, expectedRecords: number | null): DataTableProps<VariantJob>['columns'] {
  return [
    { id: 'index', header: '#', meta: { headerClassName: 'w-10', className: 'tabular-nums text-slate-700' }, cell: ({ row }) => row.index + 1 },
    {
      id: 'job',
      header: 'Job',
      meta: { className: 'font-medium' },
      cell: ({ row: { original: job } }) =>
        job.status === null ? (
          <span title="This job has been deleted">
            {job.name} <span className="text-xs font-normal text-slate-600">(deleted)</span>
          </span>
        ) : (
          <TableLink href={`/jobs/${encodeURIComponent(job.name)}`}>{job.name}</TableLink>
        ),
    },
    { id: 'model', header: 'Model', cell: ({ row }) => row.original.modelName ?? '—' },
    { id: 'status', header: 'Status', cell: ({ row: { original: job } }) => (job.status === null ? '—' : <StatusBadge status={job.detail?.status ?? job.status} />) },
    ...(live
      ? [
          {
            id: 'progress',
            header: 'Progress',
            meta: { className: 'min-w-64' },
            cell: ({ row: { original: job } }) => (job.detail ? <JobProgressCell job={job.detail} expectedRecords={expectedRecords} /> : <span className="text-slate-600">—</span>),
          } satisfies DataTableProps<VariantJob>['columns'][number],
        ]
      : []),
  ];
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
