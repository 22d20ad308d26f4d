'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/trpc/client';
import { JobComparisonsLine } from './comparison-job-links';
import { ErrorMessage } from './error-message';
import { JobActions } from './job-actions';
import { JobCaptureLine } from './job-capture';
import { JobCharts } from './job-charts';
import { JobFirstRecords } from './job-first-records';
import { JobObjectsTable } from './job-objects-table';
import { JobProgress } from './job-progress';
import { JobTimeline } from './job-timeline';
import { LoadingState } from './loading-state';
import { LogTail } from './log-tail';
import { Section } from './section';
import { StatusBadge } from './status-badge';

const LIVE_REFRESH_MS = 2_000;

export function JobDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const job = useQuery(trpc.jobs.describe.queryOptions({ name }, { refetchInterval: (q) => (isLive(q.state.data?.status) ? LIVE_REFRESH_MS : false) }));
  const live = isLive(job.data?.status);
  // Once the job has ended, one last fetch of everything (the final counters land at the end).
  const refresh = { refetchInterval: live ? LIVE_REFRESH_MS : (false as const), enabled: job.isSuccess };
  const objects = useQuery(trpc.jobs.objects.queryOptions({ name }, refresh));
  const metrics = useQuery(trpc.metrics.get.queryOptions({ name }, refresh));

  if (job.isPending) return <LoadingState label="Loading the job…" rows={6} />;
  if (job.isError)
    return (
      <div className="space-y-4">
        <BackLink />
        <ErrorMessage title={`Could not load job ${name}`} error={job.error} onRetry={() => void job.refetch()} />
      </div>
    );
  const j = job.data;
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <BackLink />
        <header className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="break-all text-2xl font-semibold tracking-tight">{j.name}</h1>
              <StatusBadge status={j.status} />
              {j.run > 1 && <span className="text-sm text-slate-700">run {j.run}</span>}
            </div>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-700">Model</dt>
              <dd className="font-medium">{j.modelName}</dd>
              <dt className="text-slate-700">Input</dt>
              <dd className="break-all font-mono text-xs leading-5">{j.input.uri}</dd>
              <dt className="text-slate-700">Output</dt>
              <dd className="break-all font-mono text-xs leading-5">{j.output.uri}</dd>
              <JobCaptureLine job={j} />
              <dt className="text-slate-700">Created by</dt>
              <dd>{j.createdBy}</dd>
              {j.clonedFrom && (
                <>
                  <dt className="text-slate-700">Cloned from</dt>
                  <dd>
                    <Link className="text-blue-800 underline" href={`/jobs/${encodeURIComponent(j.clonedFrom)}`}>
                      {j.clonedFrom}
                    </Link>
                  </dd>
                </>
              )}
              <JobComparisonsLine job={j} />
            </dl>
          </div>
          <JobActions job={j} />
        </header>
        {j.failureReason && (
          <div role="alert" className="rounded-lg border-l-4 border-red-700 bg-red-50 p-4 text-red-900">
            <p className="font-semibold">Why it {j.status === 'Failed' ? 'failed' : 'stopped'}</p>
            <p className="mt-1 whitespace-pre-wrap break-words">{j.failureReason}</p>
          </div>
        )}
      </div>

      <Section title="Timeline" id="timeline">
        <JobTimeline job={j} />
      </Section>

      <Section title="Progress" id="progress" aside={live ? <span className="text-sm text-slate-700">Refreshing every 2 s</span> : undefined}>
        <JobProgress job={j} />
      </Section>

      <Section title="Objects" id="objects" aside={objects.data ? <span className="text-sm text-slate-700">{objects.data.length} objects</span> : undefined}>
        {objects.isPending ? <LoadingState label="Loading objects…" /> : objects.isError ? <ErrorMessage title="Could not load the objects" error={objects.error} /> : <JobObjectsTable objects={objects.data} />}
      </Section>

      {j.status === 'Completed' && j.transform.splitType === 'Line' && j.transform.assembleWith === 'Line' && (
        <Section title="First records" id="first-records">
          <JobFirstRecords name={name} />
        </Section>
      )}

      <Section title="Metrics" id="metrics">
        {metrics.isPending ? <LoadingState label="Loading metrics…" /> : metrics.isError ? <ErrorMessage title="Could not load the metrics" error={metrics.error} /> : <JobCharts metrics={metrics.data} />}
      </Section>

      <Section title="Log" id="log">
        <LogTail name={name} live={live} />
      </Section>
    </div>
  );
}

function isLive(status: string | undefined): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

function BackLink() {
  return (
    <Link href="/jobs" className="text-sm font-medium text-blue-800 underline-offset-2 hover:underline">
      ← All jobs
    </Link>
  );
}
