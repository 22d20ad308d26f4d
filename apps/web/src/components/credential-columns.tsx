import { timeColumn, type DataTableProps } from './data-table';
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
    timeColumn<T>('created', 'Created', (c) => c.createdAt),
    timeColumn<T>('lastUsed', 'Last used', (c) => c.lastUsedAt, { col: 'last-used', missing: 'never' }),
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
