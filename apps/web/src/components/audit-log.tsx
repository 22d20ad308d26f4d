'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { AUDIT_ACTIONS } from '@sluice/contracts';
import { formatDateTime } from '@/lib/format';
import { useDebounced } from '@/lib/use-debounced';
import { useTRPC } from '@/trpc/client';
import { useSession } from '@/trpc/session';
import type { RouterInputs, RouterOutputs } from '@/trpc/types';
import { DataTable, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Pagination } from './pagination';

type AuditEntry = RouterOutputs['admin']['audit']['list']['items'][number];

const PAGE_SIZE = 50;

type AuditQuery = Exclude<RouterInputs['admin']['audit']['list'], void | undefined>;
type AuditAction = NonNullable<AuditQuery['action']>;

/** The actions the service records (the filter accepts only these). */
const ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS;

const field = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 placeholder:text-slate-500';

/** `{"role":"viewer"}` reads as `role: viewer`. */
function describeFields(fields: AuditEntry['fields']): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

const COLUMNS: DataTableProps<AuditEntry>['columns'] = [
  { id: 'time', header: 'Time', meta: { className: 'whitespace-nowrap tabular-nums' }, cell: ({ row }) => formatDateTime(row.original.time) },
  { id: 'actor', header: 'Actor', accessorFn: (entry) => entry.actor, meta: { col: 'actor' } },
  { id: 'action', header: 'Action', accessorFn: (entry) => entry.action, meta: { col: 'action', className: 'font-mono text-xs leading-5' } },
  { id: 'target', header: 'Target', accessorFn: (entry) => entry.target ?? '—', meta: { col: 'target', className: 'max-w-56 truncate', cellProps: (entry) => ({ title: entry.target ?? undefined }) } },
  { id: 'details', header: 'Details', accessorFn: (entry) => describeFields(entry.fields) || '—', meta: { className: 'max-w-md truncate text-slate-700', cellProps: (entry) => ({ title: describeFields(entry.fields) }) } },
  { id: 'address', header: 'Address', accessorFn: (entry) => entry.ip ?? '—', meta: { className: 'whitespace-nowrap font-mono text-xs leading-5 text-slate-700' } },
];

/** The team's audit log (admins): who signed in, created tokens and keys, ran and stopped jobs. */
export function AuditLog() {
  const trpc = useTRPC();
  const session = useSession();
  const [filters, setFilters] = useState<{ action: AuditAction | ''; actor: string }>({ action: '', actor: '' });
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const settled = useDebounced(filters);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => setCursors([undefined]), [settled]);

  const input: AuditQuery = {
    limit: PAGE_SIZE,
    ...(cursor ? { cursor } : {}),
    ...(settled.action ? { action: settled.action } : {}),
    ...(settled.actor.trim() ? { actor: settled.actor.trim() } : {}),
  };
  const entries = useQuery(trpc.admin.audit.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const filtered = Boolean(settled.action || settled.actor.trim());

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        What happened in team <strong>{session?.team}</strong>, newest first: sign-ins, tokens and keys, users and roles, jobs and models.
      </p>
      <form role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3">
        <label className="text-sm font-medium text-slate-800">
          Action
          <select value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value as AuditAction | '' })} className={field}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          Actor
          <input type="search" value={filters.actor} onChange={(e) => setFilters({ ...filters, actor: e.target.value })} placeholder="their email, or local" className={field} />
        </label>
        {filtered && (
          <div className="flex items-end">
            <button type="button" onClick={() => setFilters({ action: '', actor: '' })} className="rounded border border-slate-400 px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
              Clear
            </button>
          </div>
        )}
      </form>
      {entries.isPending ? (
        <LoadingState label="Loading the audit log…" rows={5} />
      ) : entries.isError ? (
        <ErrorMessage title="Could not load the audit log" error={entries.error} onRetry={() => void entries.refetch()} />
      ) : (
        <DataTable
          columns={COLUMNS}
          data={entries.data.items}
          rowId={(entry) => String(entry.id)}
          rowProps={(entry) => ({ 'data-audit-action': entry.action })}
          caption="Audit log"
          empty={
            <EmptyState title={filtered ? 'No entries match these filters' : cursors.length > 1 ? 'No more entries' : 'Nothing recorded yet'}>
              {filtered ? 'Change or clear the filters to see more.' : 'Sign-ins, token creation and job changes appear here.'}
            </EmptyState>
          }
        />
      )}
      {entries.data && (
        <Pagination
          page={cursors.length}
          hasPrevious={cursors.length > 1}
          hasNext={Boolean(entries.data.nextCursor)}
          busy={entries.isPlaceholderData}
          onPrevious={() => setCursors((c) => c.slice(0, -1))}
          onNext={() => entries.data.nextCursor && setCursors((c) => [...c, entries.data.nextCursor ?? undefined])}
        />
      )}
    </div>
  );
}
