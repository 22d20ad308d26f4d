'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { ComparisonSummary } from '@sluice/contracts';
import { formatCount } from '@/lib/format';
import { useCanWrite } from '@/trpc/session';
import { useTRPC } from '@/trpc/client';
import { ComparisonStatusBadge, isComparisonLive } from './comparison-status-badge';
import { DataTable, TableLink, timeColumn, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Pagination } from './pagination';

const PAGE_SIZE = 20;
const LIVE_REFRESH_MS = 2_000;

const COLUMNS: DataTableProps<ComparisonSummary>['columns'] = [
  { id: 'name', header: 'Name', meta: { className: 'font-medium' }, cell: ({ row }) => <TableLink href={`/comparisons/${encodeURIComponent(row.original.name)}`}>{row.original.name}</TableLink> },
  { id: 'status', header: 'Status', cell: ({ row }) => <ComparisonStatusBadge status={row.original.status} /> },
  {
    id: 'jobs',
    header: 'Jobs',
    meta: { col: 'jobs' },
    cell: ({ row }) => (
      <ul className="flex flex-wrap gap-x-3 gap-y-0.5">
        {row.original.jobs.map((job) => (
          <li key={job.name}>
            <TableLink href={`/jobs/${encodeURIComponent(job.name)}`}>{job.name}</TableLink>
            {job.modelName && <span className="ml-1 text-xs text-slate-600">({job.modelName})</span>}
          </li>
        ))}
      </ul>
    ),
  },
  { id: 'groundTruth', header: 'Ground truth', meta: { className: 'font-mono text-xs' }, cell: ({ row }) => row.original.groundTruth ?? <span className="font-sans text-slate-500">—</span> },
  { id: 'records', header: 'Records', meta: { numeric: true, col: 'records' }, cell: ({ row }) => (row.original.records === null ? '—' : formatCount(row.original.records)) },
  { id: 'creator', header: 'Creator', accessorFn: (c) => c.createdBy },
  timeColumn('created', 'Created', (c) => c.creationTime),
];

/** The team's comparisons, newest first, in cursor pages; refreshed while any listed one runs. */
export function ComparisonsList({ pageSize = PAGE_SIZE }: { pageSize?: number }) {
  const trpc = useTRPC();
  const canWrite = useCanWrite();
  // The cursors of the pages before this one: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery(
    trpc.comparisons.list.queryOptions(
      { limit: pageSize, ...(cursor ? { cursor } : {}) },
      { placeholderData: keepPreviousData, refetchInterval: (query) => (query.state.data?.items.some((c) => isComparisonLive(c.status)) ? LIVE_REFRESH_MS : false) },
    ),
  );
  const live = list.data?.items.some((c) => isComparisonLive(c.status)) ?? false;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Comparisons</h1>
          <p className="text-sm text-slate-700">Model variants run over the same data, side by side.</p>
        </div>
        <div className="flex flex-wrap items-center gap-4">
          {live && (
            <p className="text-sm text-slate-700" aria-live="polite">
              <span aria-hidden="true" className="mr-1 inline-block h-2 w-2 animate-pulse rounded-full bg-blue-700" />
              Refreshing every 2 s while comparisons run
            </p>
          )}
          {canWrite && (
            <Link href="/comparisons/new" className="rounded bg-blue-800 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-900">
              New comparison
            </Link>
          )}
        </div>
      </div>
      {list.isPending ? (
        <LoadingState label="Loading comparisons…" rows={4} />
      ) : list.isError ? (
        <ErrorMessage title="Could not load comparisons" error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          columns={COLUMNS}
          data={list.data.items}
          rowId={(c) => c.name}
          rowProps={(c) => ({ 'data-comparison': c.name })}
          caption="Comparisons"
          empty={
            cursors.length > 1 ? (
              <EmptyState title="No more comparisons">There are no comparisons on this page.</EmptyState>
            ) : (
              <EmptyState title="No comparisons yet">
                <p>
                  Compare two or more finished jobs over the same input, or run several models over one input, with the{' '}
                  <Link href="/comparisons/new" className="font-medium text-blue-800 underline">
                    new comparison form
                  </Link>{' '}
                  or <code className="rounded bg-slate-100 px-1 font-mono">sluice compare create</code>.
                </p>
              </EmptyState>
            )
          }
        />
      )}
      {list.data && (
        <Pagination
          page={cursors.length}
          hasPrevious={cursors.length > 1}
          hasNext={Boolean(list.data.nextCursor)}
          busy={list.isPlaceholderData}
          onPrevious={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => list.data.nextCursor && setCursors((c) => [...c, list.data.nextCursor ?? undefined])}
        />
      )}
    </div>
  );
}
