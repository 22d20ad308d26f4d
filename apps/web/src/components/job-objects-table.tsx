import type { JobObjectView } from '@sluice/contracts';
import { formatBytes, formatCount } from '@/lib/format';
import { DataTable, type DataTableProps } from './data-table';
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

const COLUMNS: DataTableProps<JobObjectView>['columns'] = [
  {
    id: 'object',
    header: 'Object',
    meta: { className: 'max-w-72 truncate font-mono text-xs', cellProps: (o) => ({ title: o.input }) },
    cell: ({ row: { original: o } }) => (
      <>
        {o.relativeKey}
        {o.shards > 1 && <span className="ml-1 font-sans text-slate-600">({o.shards} shards)</span>}
      </>
    ),
  },
  { id: 'status', header: 'Status', accessorFn: (o) => o.status, meta: { className: (o) => `font-medium ${STATUS_TONE[o.status] ?? 'text-slate-800'}` } },
  { id: 'size', header: 'Size', meta: { numeric: true }, cell: ({ row }) => formatBytes(row.original.size) },
  { id: 'records', header: 'Records', meta: { numeric: true }, cell: ({ row }) => formatCount(row.original.records) },
  { id: 'failed', header: 'Failed', meta: { numeric: true, className: (o) => (o.recordsFailed ? 'font-semibold text-red-800' : '') }, cell: ({ row }) => formatCount(row.original.recordsFailed) },
  {
    id: 'files',
    header: 'Files',
    meta: { className: 'whitespace-nowrap' },
    cell: ({ row: { original: o } }) => (
      <span className="flex gap-3">
        <ObjectLink uri={o.output} label="output" />
        {o.errors && <ObjectLink uri={o.errors} label="errors" />}
      </span>
    ),
  },
  { id: 'error', header: 'Error', accessorFn: (o) => o.error ?? '', meta: { className: 'max-w-96 break-words text-red-800' } },
];

export function JobObjectsTable({ objects }: { objects: JobObjectView[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      data={objects}
      rowId={(o) => o.input}
      rowProps={(o) => ({ 'data-object': o.relativeKey })}
      caption="Input objects"
      empty={<EmptyState title="No objects yet">The input is listed when the job is planned, a moment after it starts.</EmptyState>}
      frameClassName="max-h-96 overflow-y-auto"
      stickyHeader
      valign="middle"
    />
  );
}
