'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ModelPingView } from '@sluice/contracts';
import { errorMessage, formatDateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { useCanWrite } from '@/trpc/session';
import { ConfirmDialog } from './confirm-dialog';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { modelTarget } from './model-target';
import { Section } from './section';
import { StatusBadge } from './status-badge';

type PingMutation = { isError: boolean; error: unknown; data: ModelPingView | undefined };

/** What the last "Test ping" found: healthy with its latency, why not, or why it cannot be pinged. */
function PingResult({ ping }: { ping: PingMutation }) {
  if (ping.isError) return <p role="alert" className="max-w-md text-sm text-red-800">{errorMessage(ping.error)}</p>;
  const r = ping.data;
  if (!r) return null;
  const text =
    r.ok === null ? `Cannot ping: ${r.message}` : r.ok ? `Healthy: /ping answered ${r.status} in ${r.latencyMs} ms` : `Not healthy: ${r.message} (after ${r.latencyMs} ms)`;
  const tone = r.ok === null ? 'text-slate-700' : r.ok ? 'text-green-800' : 'text-red-800';
  return (
    <p role="status" data-ping={r.ok === null ? 'unknown' : r.ok ? 'ok' : 'failed'} className={`max-w-md text-sm ${tone}`}>
      {text}
    </p>
  );
}

const TARGET_LABEL = { http: 'URL', command: 'Command', builtin: 'Handler' } as const;

/** One model: how it runs, the jobs that used it, and Delete (confirmed; refused while a job runs on it). */
export function ModelDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const model = useQuery(trpc.models.get.queryOptions({ name }));
  const ping = useMutation(trpc.models.ping.mutationOptions());
  const canWrite = useCanWrite();
  const remove = useMutation(
    trpc.models.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey() });
        router.push('/models');
      },
    }),
  );

  if (model.isPending) return <LoadingState label="Loading model…" rows={4} />;
  if (model.isError) return <ErrorMessage title="Could not load the model" error={model.error} onRetry={() => void model.refetch()} />;
  const m = model.data;
  const details: Array<[string, string]> = [
    ['Kind', m.kind],
    [TARGET_LABEL[m.kind], modelTarget(m)],
    ...(m.artifactUri ? [['Artifact', m.artifactUri] as [string, string]] : []),
    ...(m.port ? [['Port', String(m.port)] as [string, string]] : []),
    ['Start-up timeout', `${m.startupTimeoutSeconds} s`],
    ['Created', formatDateTime(m.createdAt)],
    ['Created by', m.createdBy],
  ];
  const env = Object.entries(m.env);
  // Secret values never reach the dashboard: the view holds them masked.
  const secretEnv = Object.entries(m.secretEnv ?? {});
  const jobs = m.jobs ?? [];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm">
            <Link href="/models" className="text-blue-800 hover:underline">
              ← Models
            </Link>
          </p>
          <h1 className="font-mono text-2xl font-semibold tracking-tight">{m.name}</h1>
          {m.description && <p className="text-sm text-slate-700">{m.description}</p>}
        </div>
        <div className="flex flex-col items-start gap-2 sm:items-end">
          <div className="flex gap-2">
            <button type="button" onClick={() => ping.mutate({ name: m.name })} disabled={ping.isPending} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-900 hover:bg-slate-50 disabled:opacity-60">
              {ping.isPending ? 'Pinging…' : 'Test ping'}
            </button>
            {canWrite && (
              <button type="button" onClick={() => setAsking(true)} disabled={remove.isPending} className="rounded bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60">
                {remove.isPending ? 'Deleting…' : 'Delete'}
              </button>
            )}
          </div>
          <PingResult ping={ping} />
          {remove.isError && (
            <p role="alert" className="max-w-md text-sm text-red-800">
              {remove.error.data?.code === 'CONFLICT' ? `Cannot delete: ${errorMessage(remove.error)}.` : errorMessage(remove.error)}
            </p>
          )}
        </div>
      </div>
      <Section title="Details" id="model-details">
        <dl className="grid gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
          {details.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-medium text-slate-700">{label}</dt>
              <dd className={`break-all text-slate-900 ${label === TARGET_LABEL[m.kind] || label === 'Artifact' ? 'font-mono' : ''}`} data-detail={label}>
                {value}
              </dd>
            </div>
          ))}
          <dt className="font-medium text-slate-700">Environment</dt>
          <dd className="font-mono text-slate-900" data-detail="Environment">
            {env.length + secretEnv.length === 0 ? '—' : env.map(([k, v]) => <div key={k}>{`${k}=${v}`}</div>)}
            {secretEnv.map(([k, masked]) => (
              <div key={k} data-secret-env={k}>
                {`${k}=${masked}`} <span className="font-sans text-xs text-slate-600">(secret)</span>
              </div>
            ))}
          </dd>
        </dl>
      </Section>
      <Section title="Jobs that used it" id="model-jobs">
        {jobs.length === 0 ? (
          <EmptyState title="No jobs yet">No job has run on this model.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {jobs.map((job) => (
              <li key={job.name} data-job={job.name} className="flex flex-wrap items-center gap-3 px-3 py-2">
                <Link href={`/jobs/${encodeURIComponent(job.name)}`} className="font-medium text-blue-800 hover:underline">
                  {job.name}
                </Link>
                <StatusBadge status={job.status} />
                <span className="ml-auto text-slate-700">{formatDateTime(job.creationTime)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <ConfirmDialog
        open={asking}
        title={`Delete ${m.name}?`}
        confirmLabel="Delete model"
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          remove.mutate({ name: m.name });
        }}
      >
        Jobs that used it keep their records and outputs, but no new job can run on it. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}
