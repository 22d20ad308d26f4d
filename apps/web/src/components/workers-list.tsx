'use client';
import { useQuery } from '@tanstack/react-query';
import type { WorkerView } from '@sluice/contracts';
import { formatBytes, formatDateTime, formatDuration } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { DataTable, TableLink, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Section } from './section';

const REFRESH_MS = 2_000;

/** A worker serving several pools is listed under each of them: each pool's capacity reads whole. */
export function groupByPool(workers: WorkerView[]): Array<[string, WorkerView[]]> {
  const pools = new Map<string, WorkerView[]>();
  for (const worker of workers) for (const pool of worker.pools.length ? worker.pools : ['(no pool)']) pools.set(pool, [...(pools.get(pool) ?? []), worker]);
  return [...pools.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The worker fleet by pool, refreshed every 2 s: liveness, slots, what each runs, CPU and memory. */
export function WorkersList() {
  const trpc = useTRPC();
  const workers = useQuery(trpc.workers.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Workers</h1>
          <p className="text-sm text-slate-700">The processes that claim and run tasks, by pool.</p>
        </div>
        <p className="text-sm text-slate-700">
          <span aria-hidden="true" className="mr-1 inline-block h-2 w-2 animate-pulse rounded-full bg-blue-700" />
          Refreshing every 2 s
        </p>
      </div>
      {workers.isPending ? (
        <LoadingState label="Loading workers…" rows={3} />
      ) : workers.isError ? (
        <ErrorMessage title="Could not load workers" error={workers.error} onRetry={() => void workers.refetch()} />
      ) : workers.data.length === 0 ? (
        <EmptyState title="No workers running">
          Start one with <code className="rounded bg-slate-100 px-1 font-mono">sluice worker</code>; jobs wait in the queue until a worker of their pool claims them.
        </EmptyState>
      ) : (
        groupByPool(workers.data).map(([pool, members]) => (
          <Section key={pool} id={`pool-${pool}`} title={`Pool ${pool}`} aside={<PoolSummary workers={members} />}>
            <WorkersTable pool={pool} workers={members} now={workers.dataUpdatedAt} />
          </Section>
        ))
      )}
    </div>
  );
}

function PoolSummary({ workers }: { workers: WorkerView[] }) {
  const alive = workers.filter((w) => w.alive);
  const slots = alive.reduce((n, w) => n + w.concurrency, 0);
  const busy = alive.reduce((n, w) => n + w.currentTasks.length, 0);
  return (
    <p className="text-sm text-slate-700">
      {alive.length} of {workers.length} alive · {busy} of {slots} slots busy
    </p>
  );
}

/** The columns of a pool's table; `now` says how long ago each worker's heartbeat was. */
function workerColumns(now: number): DataTableProps<WorkerView>['columns'] {
  return [
    { id: 'worker', header: 'Worker', accessorFn: (w) => w.id, meta: { className: 'max-w-48 truncate font-mono text-xs', cellProps: (w) => ({ title: w.id }) } },
    { id: 'host', header: 'Host', accessorFn: (w) => w.host },
    { id: 'pid', header: 'PID', accessorFn: (w) => w.pid, meta: { numeric: true } },
    {
      id: 'alive',
      header: 'Alive',
      meta: { col: 'alive', className: 'whitespace-nowrap', cellProps: (w) => ({ title: `Last heartbeat ${formatDateTime(w.heartbeatAt)}` }) },
      cell: ({ row: { original: w } }) => (
        <>
          <span className={`font-semibold ${w.alive ? 'text-green-800' : 'text-red-800'}`}>{w.alive ? 'Alive' : 'Silent'}</span>{' '}
          <span className="text-slate-600">· beat {formatDuration(Math.max(0, now - w.heartbeatAt.getTime()))} ago</span>
        </>
      ),
    },
    { id: 'slots', header: 'Slots', meta: { numeric: true, col: 'slots' }, cell: ({ row: { original: w } }) => `${w.currentTasks.length} / ${w.concurrency}` },
    {
      id: 'tasks',
      header: 'Current tasks',
      cell: ({ row: { original: w } }) =>
        w.currentTasks.length === 0 ? (
          <span className="text-slate-600">idle</span>
        ) : (
          <ul className="space-y-0.5">
            {w.currentTasks.map((t) => (
              <li key={t.taskId}>
                <TableLink href={`/jobs/${encodeURIComponent(t.jobName)}`}>{t.jobName}</TableLink>
                <span className="ml-1 font-mono text-xs text-slate-600">{t.input}</span>
              </li>
            ))}
          </ul>
        ),
    },
    { id: 'cpu', header: 'CPU', meta: { numeric: true }, cell: ({ row: { original: w } }) => (w.cpuPercent === null ? '—' : `${w.cpuPercent.toFixed(0)}%`) },
    { id: 'rss', header: 'RSS', meta: { numeric: true, className: 'whitespace-nowrap' }, cell: ({ row: { original: w } }) => (w.rssBytes === null ? '—' : formatBytes(w.rssBytes)) },
  ];
}

function WorkersTable({ pool, workers, now }: { pool: string; workers: WorkerView[]; now: number }) {
  return <DataTable columns={workerColumns(now)} data={workers} rowId={(w) => w.id} rowProps={(w) => ({ 'data-worker': w.id })} tableProps={{ 'data-pool': pool }} caption={`Workers in pool ${pool}`} />;
}
