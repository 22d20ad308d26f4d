'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatDateTime, formatShortDateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { useCanWrite, useSession } from '@/trpc/session';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { ModelForm } from './model-form';
import { modelTarget } from './model-target';

const cell = 'px-3 py-2 align-top';

/** The team's registered models, and the form that registers another. */
export function ModelsList() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  const canWrite = useCanWrite();
  const team = useSession()?.team;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Models</h1>
        <p className="text-sm text-slate-700">The model servers jobs can run records through.</p>
      </div>
      {models.isPending ? (
        <LoadingState label="Loading models…" rows={3} />
      ) : models.isError ? (
        <ErrorMessage title="Could not load models" error={models.error} onRetry={() => void models.refetch()} />
      ) : models.data.length === 0 ? (
        <EmptyState title="No models yet">Register one below, or with <code className="rounded bg-slate-100 px-1 font-mono">sluice models create</code>.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Registered models</caption>
            <thead className="bg-slate-100 text-left text-slate-800">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">Name</th>
                <th scope="col" className="px-3 py-2 font-semibold">Kind</th>
                <th scope="col" className="px-3 py-2 font-semibold">URL / command / handler</th>
                <th scope="col" className="px-3 py-2 font-semibold">Created</th>
                <th scope="col" className="px-3 py-2 font-semibold">Created by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {models.data.map((model) => (
                <tr key={model.name} data-model={model.name} className="hover:bg-slate-50">
                  <td className={`${cell} font-medium`}>
                    <Link href={`/models/${encodeURIComponent(model.name)}`} className="text-blue-800 underline-offset-2 hover:underline">
                      {model.name}
                    </Link>
                  </td>
                  <td className={cell} data-col="kind">
                    {model.kind}
                  </td>
                  <td className={`${cell} max-w-md truncate font-mono text-xs`} title={modelTarget(model)} data-col="target">
                    {modelTarget(model)}
                  </td>
                  <td className={`${cell} whitespace-nowrap`} title={formatDateTime(model.createdAt)}>
                    {formatShortDateTime(model.createdAt)}
                  </td>
                  <td className={cell}>{model.createdBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite ? (
        <ModelForm />
      ) : (
        <p className="text-sm text-slate-700" data-read-only>
          You are a viewer in team {team}: you can see its models but not register or delete them. A team admin can make you a member.
        </p>
      )}
    </div>
  );
}
