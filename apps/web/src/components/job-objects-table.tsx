import type { JobObjectView } from '@sluice/contracts';
import { formatBytes, formatCount } from '@/lib/format';
import { EmptyState } from './empty-state';

const STATUS_TONE: Record<string, string> = { Completed: 'text-green-800', Failed: 'text-red-800', Running: 'text-blue-800', InProgress: 'text-blue-800' };

/** A link to an object by its URI: the browser opens http(s) and file URIs; s3:// shows the URI to copy. */
function ObjectLink({ uri, label }: { uri: string; label: string }) {
  return (
    <a href={uri} title={uri} className="font-medium text-blue-800 underline underline-offset-2">
      {label}
    </a>
  );
}

export function JobObjectsTable({ objects }: { objects: JobObjectView[] }) {
  if (objects.length === 0) return <EmptyState title="No objects yet">The input is listed when the job is planned, a moment after it starts.</EmptyState>;
  return (
    <div className="max-h-96 overflow-auto rounded-lg border border-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Input objects</caption>
        <thead className="sticky top-0 bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Object</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Status</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Size</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Records</th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">Failed</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Files</th>
            <th scope="col" className="px-3 py-2 text-left font-semibold">Error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 bg-white">
          {objects.map((o) => (
            <tr key={o.input} data-object={o.relativeKey}>
              <td className="max-w-72 truncate px-3 py-2 font-mono text-xs" title={o.input}>
                {o.relativeKey}
                {o.shards > 1 && <span className="ml-1 font-sans text-slate-600">({o.shards} shards)</span>}
              </td>
              <td className={`px-3 py-2 font-medium ${STATUS_TONE[o.status] ?? 'text-slate-800'}`}>{o.status}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatBytes(o.size)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(o.records)}</td>
              <td className={`px-3 py-2 text-right tabular-nums ${o.recordsFailed ? 'font-semibold text-red-800' : ''}`}>{formatCount(o.recordsFailed)}</td>
              <td className="whitespace-nowrap px-3 py-2">
                <span className="flex gap-3">
                  <ObjectLink uri={o.output} label="output" />
                  {o.errors && <ObjectLink uri={o.errors} label="errors" />}
                </span>
              </td>
              <td className="max-w-96 break-words px-3 py-2 text-red-800">{o.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
