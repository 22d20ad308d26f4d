'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { ComparisonSummary } from '@sluice/contracts';
import { formatCount, formatDateTime, formatShortDateTime } from '@/lib/format';
import { useCanWrite } from '@/trpc/session';
import { useTRPC } from '@/trpc/client';
import { ComparisonStatusBadge, isComparisonLive } from './comparison-status-badge';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Pagination } from './pagination';

const PAGE_SIZE = 20;
const LIVE_REFRESH_MS = 2_000;
const cell = 'px-3 py-2 align-top';

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
      ) : list.data.items.length === 0 ? (
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
      ) : (
        <ComparisonsTable comparisons={list.data.items} />
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

function ComparisonsTable({ comparisons }: { comparisons: ComparisonSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Comparisons</caption>
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Name</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Status</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Jobs</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Ground truth</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Records</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Creator</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {comparisons.map((c) => (
            <tr key={c.name} data-comparison={c.name} className="hover:bg-slate-50">
              <td className={`${cell} font-medium`}>
                <Link href={`/comparisons/${encodeURIComponent(c.name)}`} className="text-blue-800 underline-offset-2 hover:underline">
                  {c.name}
                </Link>
              </td>
              <td className={cell}>
                <ComparisonStatusBadge status={c.status} />
              </td>
              <td className={cell} data-col="jobs">
                <ul className="flex flex-wrap gap-x-3 gap-y-0.5">
                  {c.jobs.map((job) => (
                    <li key={job.name}>
                      <Link href={`/jobs/${encodeURIComponent(job.name)}`} className="text-blue-800 underline-offset-2 hover:underline">
                        {job.name}
                      </Link>
                      {job.modelName && <span className="ml-1 text-xs text-slate-600">({job.modelName})</span>}
                    </li>
                  ))}
                </ul>
              </td>
              <td className={`${cell} font-mono text-xs`}>{c.groundTruth ?? <span className="font-sans text-slate-500">—</span>}</td>
              <td className={`${cell} text-right tabular-nums`} data-col="records">
                {c.records === null ? '—' : formatCount(c.records)}
              </td>
              <td className={cell}>{c.createdBy}</td>
              <td className={`${cell} whitespace-nowrap`} title={formatDateTime(c.creationTime)}>
                {formatShortDateTime(c.creationTime)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
