'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/trpc/client';
import { DataTable } from './data-table';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';

/** A completed Line job's first input records beside the output lines the model made of them. */
export function JobFirstRecords({ name }: { name: string }) {
  const trpc = useTRPC();
  const preview = useQuery({ ...trpc.jobs.previewRecords.queryOptions({ name }), refetchOnWindowFocus: false });
  if (preview.isPending) return <LoadingState label="Loading the first records…" />;
  if (preview.isError) return <ErrorMessage title="Could not read the first records" error={preview.error} />;
  const data = preview.data;
  if (data === null) return <p className="text-sm text-slate-700">No object has completed yet.</p>;
  if ('unsupported' in data) return <p className="text-sm text-slate-700">{data.unsupported}</p>;
  const cellClass = 'whitespace-pre-wrap break-all font-mono text-xs';
  return (
    <DataTable
      columns={[
        {
          id: 'input',
          header: () => (
            <>
              Input <span className="break-all font-mono text-xs font-normal text-slate-700">{data.object}</span>
            </>
          ),
          accessorFn: (pair) => pair.input,
          meta: { className: cellClass },
        },
        {
          id: 'output',
          header: () => (
            <>
              Output <span className="break-all font-mono text-xs font-normal text-slate-700">{data.output}</span>
            </>
          ),
          meta: { className: cellClass },
          cell: ({ row }) => row.original.output ?? <span className="text-slate-500">(no output line)</span>,
        },
      ]}
      data={data.pairs}
      rowId={(_, i) => String(i)}
      tableProps={{ 'data-first-records': true }}
      caption="The first input records beside their output lines"
      density="compact"
      width="w-full table-fixed"
    />
  );
}
