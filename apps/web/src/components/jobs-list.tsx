'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { TListJobs } from '@sluice/contracts';
import { useDebounced } from '@/lib/use-debounced';
import { useTRPC } from '@/trpc/client';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { JobsFilters, NO_FILTERS, type JobFilters } from './jobs-filters';
import { JobsTable, type JobSort } from './jobs-table';
import { LoadingState } from './loading-state';
import { Pagination } from './pagination';

const PAGE_SIZE = 20;
const LIVE_REFRESH_MS = 2_000;

/** The team's jobs: filters, sort, cursor pages, and a live refresh while any listed job runs. */
export function JobsList({ pageSize = PAGE_SIZE }: { pageSize?: number }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<JobFilters>(NO_FILTERS);
  const [sort, setSort] = useState<JobSort>({ sortBy: 'CreationTime', sortOrder: 'Descending' });
  // The cursors of the pages before this one: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const settled = useDebounced(filters);
  const cursor = cursors[cursors.length - 1];

  // A new filter or sort starts again from the first page.
  useEffect(() => setCursors([undefined]), [settled, sort]);

  const input: TListJobs = {
    ...sort,
    limit: pageSize,
    ...(cursor ? { cursor } : {}),
    ...(settled.status ? { status: [settled.status as NonNullable<TListJobs['status']>[number]] } : {}),
    ...(settled.nameContains.trim() ? { nameContains: settled.nameContains.trim() } : {}),
    ...(settled.modelName.trim() ? { modelName: settled.modelName.trim() } : {}),
    ...(settled.createdBy.trim() ? { createdBy: settled.createdBy.trim() } : {}),
    ...(settled.createdAfter ? { creationTimeAfter: new Date(`${settled.createdAfter}T00:00:00`) } : {}),
  };
  const jobs = useQuery(
    trpc.jobs.list.queryOptions(input, {
      placeholderData: keepPreviousData,
      refetchInterval: (query) => (query.state.data?.items.some((j) => j.status === 'InProgress' || j.status === 'Stopping') ? LIVE_REFRESH_MS : false),
    }),
  );
  const live = jobs.data?.items.some((j) => j.status === 'InProgress' || j.status === 'Stopping') ?? false;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Jobs</h1>
          <p className="text-sm text-slate-700">Every transform job the team has run.</p>
        </div>
        {live && (
          <p className="text-sm text-slate-700" aria-live="polite">
            <span aria-hidden="true" className="mr-1 inline-block h-2 w-2 animate-pulse rounded-full bg-blue-700" />
            Refreshing every 2 s while jobs run
          </p>
        )}
      </div>
      <JobsFilters value={filters} onChange={setFilters} />
      {jobs.isPending ? (
        <LoadingState label="Loading jobs…" rows={5} />
      ) : jobs.isError ? (
        <ErrorMessage title="Could not load jobs" error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : (
        <JobsTable
          jobs={jobs.data.items}
          sort={sort}
          onSort={setSort}
          now={jobs.dataUpdatedAt}
          empty={
            cursors.length > 1 ? (
              <EmptyState title="No more jobs">There are no jobs on this page.</EmptyState>
            ) : Object.values(settled).some(Boolean) ? (
              <EmptyState title="No jobs match these filters">Change or clear the filters to see more jobs.</EmptyState>
            ) : (
              <EmptyState title="No jobs yet">
                Create one with <code className="rounded bg-slate-100 px-1 font-mono">sluice jobs create</code>, the SDK, or any AWS SDK&apos;s CreateTransformJob.
              </EmptyState>
            )
          }
        />
      )}
      {jobs.data && (
        <Pagination
          page={cursors.length}
          hasPrevious={cursors.length > 1}
          hasNext={Boolean(jobs.data.nextCursor)}
          busy={jobs.isPlaceholderData}
          onPrevious={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => jobs.data.nextCursor && setCursors((c) => [...c, jobs.data.nextCursor ?? undefined])}
        />
      )}
    </div>
  );
}
