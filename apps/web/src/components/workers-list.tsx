'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { WorkerView } from '@sluice/contracts';
import { formatBytes, formatDateTime, formatDuration } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Section } from './section';

const REFRESH_MS = 2_000;
const cell = 'px-3 py-2 align-top';

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

function WorkersTable({ pool, workers, now }: { pool: string; workers: WorkerView[]; now: number }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-pool={pool}>
        <caption className="sr-only">Workers in pool {pool}</caption>
        <thead className="bg-slate-100 text-left text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">Worker</th>
            <th scope="col" className="px-3 py-2 font-semibold">Host</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">PID</th>
            <th scope="col" className="px-3 py-2 font-semibold">Alive</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Slots</th>
            <th scope="col" className="px-3 py-2 font-semibold">Current tasks</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">CPU</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">RSS</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {workers.map((w) => (
            <tr key={w.id} data-worker={w.id}>
              <td className={`${cell} max-w-48 truncate font-mono text-xs`} title={w.id}>
                {w.id}
              </td>
              <td className={cell}>{w.host}</td>
              <td className={`${cell} text-right tabular-nums`}>{w.pid}</td>
              <td className={`${cell} whitespace-nowrap`} data-col="alive" title={`Last heartbeat ${formatDateTime(w.heartbeatAt)}`}>
                <span className={`font-semibold ${w.alive ? 'text-green-800' : 'text-red-800'}`}>{w.alive ? 'Alive' : 'Silent'}</span>
                {' '}
                <span className="text-slate-600">· beat {formatDuration(Math.max(0, now - w.heartbeatAt.getTime()))} ago</span>
              </td>
              <td className={`${cell} text-right tabular-nums`} data-col="slots">
                {w.currentTasks.length} / {w.concurrency}
              </td>
              <td className={cell}>
                {w.currentTasks.length === 0 ? (
                  <span className="text-slate-600">idle</span>
                ) : (
                  <ul className="space-y-0.5">
                    {w.currentTasks.map((t) => (
                      <li key={t.taskId}>
                        <Link href={`/jobs/${encodeURIComponent(t.jobName)}`} className="text-blue-800 hover:underline">
                          {t.jobName}
                        </Link>
                        <span className="ml-1 font-mono text-xs text-slate-600">{t.input}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className={`${cell} text-right tabular-nums`}>{w.cpuPercent === null ? '—' : `${w.cpuPercent.toFixed(0)}%`}</td>
              <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{w.rssBytes === null ? '—' : formatBytes(w.rssBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
