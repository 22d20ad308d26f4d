'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/trpc/client';
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
  return (
    <div className="overflow-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full table-fixed text-left text-xs" data-first-records>
        <thead className="bg-slate-50 text-sm">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">
              Input <span className="break-all font-mono text-xs font-normal text-slate-700">{data.object}</span>
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Output <span className="break-all font-mono text-xs font-normal text-slate-700">{data.output}</span>
            </th>
          </tr>
        </thead>
        <tbody className="font-mono">
          {data.pairs.map((pair, i) => (
            <tr key={i} className="border-t border-slate-200 align-top">
              <td className="whitespace-pre-wrap break-all px-3 py-1">{pair.input}</td>
              <td className="whitespace-pre-wrap break-all px-3 py-1">{pair.output ?? <span className="text-slate-500">(no output line)</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
