import { formatDateTime, formatShortDateTime } from '@/lib/format';
import type { DataTableProps } from './data-table';
import { TokenState } from './token-state';

interface Credential {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt?: Date | null;
}

/**
 * The columns every credential table (API tokens, access keys) ends with: when it was made and
 * last used, whether it still works, and Revoke while it does.
 */
export function credentialColumns<T extends Credential>({ onRevoke, revoking }: { onRevoke: (credential: T) => void; revoking: boolean }): DataTableProps<T>['columns'] {
  return [
    { id: 'created', header: 'Created', meta: { className: 'whitespace-nowrap', cellProps: (c) => ({ title: formatDateTime(c.createdAt) }) }, cell: ({ row }) => formatShortDateTime(row.original.createdAt) },
    {
      id: 'lastUsed',
      header: 'Last used',
      meta: { col: 'last-used', className: 'whitespace-nowrap', cellProps: (c) => ({ title: formatDateTime(c.lastUsedAt) }) },
      cell: ({ row }) => (row.original.lastUsedAt ? formatShortDateTime(row.original.lastUsedAt) : 'never'),
    },
    { id: 'state', header: 'State', cell: ({ row }) => <TokenState revokedAt={row.original.revokedAt} expiresAt={row.original.expiresAt ?? null} /> },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: 'right' },
      cell: ({ row }) =>
        !row.original.revokedAt && (
          <button type="button" onClick={() => onRevoke(row.original)} disabled={revoking} className="rounded border border-red-700 bg-white px-2.5 py-1 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60">
            Revoke
          </button>
        ),
    },
  ];
}
