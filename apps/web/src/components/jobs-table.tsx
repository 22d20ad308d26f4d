'use client';
import type { SortingState } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { JobView } from '@sluice/contracts';
import { formatCount, formatDuration, jobDurationMs } from '@/lib/format';
import { DataTable, TableLink, timeColumn, type DataTableProps } from './data-table';
import { StatusBadge } from './status-badge';

export type SortBy = 'CreationTime' | 'Name' | 'Status';
export type SortOrder = 'Ascending' | 'Descending';
/** The order the service lists jobs in (ListTransformJobs' SortBy and SortOrder). */
export interface JobSort {
  sortBy: SortBy;
  sortOrder: SortOrder;
}

const failuresOf = (job: JobView) => job.progress.recordsFailed + job.progress.objectsFailed;

/** The columns of the jobs list; `now` measures a running job's duration. The sortable ones are named as the service's SortBy. */
function jobColumns(now: number): DataTableProps<JobView>['columns'] {
  return [
    {
      id: 'Name',
      header: 'Name',
      accessorFn: (job) => job.name,
      enableSorting: true,
      meta: { className: 'font-medium' },
      cell: ({ row: { original: job } }) => (
        <>
          <TableLink href={`/jobs/${encodeURIComponent(job.name)}`}>{job.name}</TableLink>
          {job.run > 1 && <span className="ml-1 text-xs text-slate-600">run {job.run}</span>}
        </>
      ),
    },
    { id: 'Status', header: 'Status', accessorFn: (job) => job.status, enableSorting: true, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: 'model', header: 'Model', accessorFn: (job) => job.modelName },
    { id: 'input', header: 'Input', accessorFn: (job) => job.input.uri, meta: { className: 'max-w-56 truncate font-mono text-xs', cellProps: (job) => ({ title: job.input.uri }) } },
    { id: 'creator', header: 'Creator', accessorFn: (job) => job.createdBy },
    // The newest first, as the list opens.
    { ...timeColumn<JobView>('CreationTime', 'Created', (job) => job.creationTime), enableSorting: true, sortDescFirst: true },
    timeColumn('started', 'Started', (job) => job.transformStartTime),
    {
      id: 'duration',
      header: 'Duration',
      meta: { numeric: true, className: 'whitespace-nowrap' },
      cell: ({ row }) => {
        const duration = jobDurationMs(row.original, now);
        return duration === null ? '—' : formatDuration(duration);
      },
    },
    { id: 'records', header: 'Records', meta: { numeric: true, col: 'records' }, cell: ({ row }) => formatCount(row.original.progress.recordsOut) },
    {
      id: 'failures',
      header: 'Failures',
      meta: { numeric: true, col: 'failures', className: (job) => (failuresOf(job) > 0 ? 'font-semibold text-red-800' : '') },
      cell: ({ row }) => formatCount(failuresOf(row.original)),
    },
  ];
}

export function JobsTable({ jobs, sort, onSort, now, empty }: { jobs: JobView[]; sort: JobSort; onSort: (next: JobSort) => void; now: number; empty?: ReactNode }) {
  const sorting: SortingState = [{ id: sort.sortBy, desc: sort.sortOrder === 'Descending' }];
  return (
    <DataTable
      columns={jobColumns(now)}
      data={jobs}
      rowId={(job) => job.name}
      rowProps={(job) => ({ 'data-job': job.name })}
      caption="Transform jobs"
      empty={empty}
      sorting={{
        state: sorting,
        onChange: ([next]) => next && onSort({ sortBy: next.id as SortBy, sortOrder: next.desc ? 'Descending' : 'Ascending' }),
      }}
    />
  );
}
