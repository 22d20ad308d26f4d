'use client';
import { useQuery } from '@tanstack/react-query';
import type { ModelView } from '@sluice/contracts';
import { useTRPC } from '@/trpc/client';
import { useCanWrite, useSession } from '@/trpc/session';
import { DataTable, TableLink, timeColumn, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { ModelForm } from './model-form';
import { modelTarget } from './model-target';

const COLUMNS: DataTableProps<ModelView>['columns'] = [
  { id: 'name', header: 'Name', meta: { className: 'font-medium' }, cell: ({ row }) => <TableLink href={`/models/${encodeURIComponent(row.original.name)}`}>{row.original.name}</TableLink> },
  { id: 'kind', header: 'Kind', accessorFn: (model) => model.kind, meta: { col: 'kind' } },
  { id: 'target', header: 'URL / command / handler', accessorFn: modelTarget, meta: { col: 'target', className: 'max-w-md truncate font-mono text-xs', cellProps: (model) => ({ title: modelTarget(model) }) } },
  timeColumn('created', 'Created', (model) => model.createdAt),
  { id: 'createdBy', header: 'Created by', accessorFn: (model) => model.createdBy },
];

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
      ) : (
        <DataTable
          columns={COLUMNS}
          data={models.data}
          rowId={(model) => model.name}
          rowProps={(model) => ({ 'data-model': model.name })}
          caption="Registered models"
          empty={
            <EmptyState title="No models yet">
              Register one below, or with <code className="rounded bg-slate-100 px-1 font-mono">sluice models create</code>.
            </EmptyState>
          }
        />
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
