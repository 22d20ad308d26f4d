'use client';
import Link from 'next/link';
import type { JobView } from '@sluice/contracts';
import { formatCount, formatDateTime, formatDuration, formatShortDateTime, jobDurationMs } from '@/lib/format';
import { SortHeader, type JobSort } from './sort-header';
import { StatusBadge } from './status-badge';

const cell = 'px-3 py-2 align-top';

export function JobsTable({ jobs, sort, onSort, now }: { jobs: JobView[]; sort: JobSort; onSort: (next: JobSort) => void; now: number }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Transform jobs</caption>
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <SortHeader label="Name" column="Name" sort={sort} onSort={onSort} />
            <SortHeader label="Status" column="Status" sort={sort} onSort={onSort} />
            <th scope="col" className="px-3 py-2 text-left font-semibold">Model</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Input</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Creator</th>
            <SortHeader label="Created" column="CreationTime" sort={sort} onSort={onSort} />
            <th scope="col" className="px-3 py-2 text-left font-semibold">Started</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Duration</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Records</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Failures</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {jobs.map((job) => {
            const duration = jobDurationMs(job, now);
            const failures = job.progress.recordsFailed + job.progress.objectsFailed;
            return (
              <tr key={job.name} data-job={job.name} className="hover:bg-slate-50">
                <td className={`${cell} font-medium`}>
                  <Link href={`/jobs/${encodeURIComponent(job.name)}`} className="text-blue-800 underline-offset-2 hover:underline">
                    {job.name}
                  </Link>
                  {job.run > 1 && <span className="ml-1 text-xs text-slate-600">run {job.run}</span>}
                </td>
                <td className={cell}>
                  <StatusBadge status={job.status} />
                </td>
                <td className={cell}>{job.modelName}</td>
                <td className={`${cell} max-w-56 truncate font-mono text-xs`} title={job.input.uri}>
                  {job.input.uri}
                </td>
                <td className={cell}>{job.createdBy}</td>
                <td className={`${cell} whitespace-nowrap`} title={formatDateTime(job.creationTime)}>
                  {formatShortDateTime(job.creationTime)}
                </td>
                <td className={`${cell} whitespace-nowrap`} title={formatDateTime(job.transformStartTime)}>
                  {formatShortDateTime(job.transformStartTime)}
                </td>
                <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{duration === null ? '—' : formatDuration(duration)}</td>
                <td className={`${cell} text-right tabular-nums`} data-col="records">
                  {formatCount(job.progress.recordsOut)}
                </td>
                <td className={`${cell} text-right tabular-nums ${failures > 0 ? 'font-semibold text-red-800' : ''}`} data-col="failures">
                  {formatCount(failures)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
