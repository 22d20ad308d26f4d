import { formatDateTime, formatShortDateTime } from '@/lib/format';
import { TokenState } from './token-state';

const cell = 'px-3 py-2 align-top';
const header = 'px-3 py-2 font-semibold';

/** The header cells every credential table (API tokens, access keys) ends with. */
export function CredentialHeaders() {
  return (
    <>
      <th scope="col" className={header}>Created</th>
      <th scope="col" className={header}>Last used</th>
      <th scope="col" className={header}>State</th>
      <th scope="col" className={header}>
        <span className="sr-only">Actions</span>
      </th>
    </>
  );
}

interface Credential {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt?: Date | null;
}

/** A credential's cells after its own: when it was made and last used, whether it still works, and Revoke while it does. */
export function CredentialCells({ credential, onRevoke, revoking }: { credential: Credential; onRevoke: () => void; revoking: boolean }) {
  return (
    <>
      <td className={`${cell} whitespace-nowrap`} title={formatDateTime(credential.createdAt)}>
        {formatShortDateTime(credential.createdAt)}
      </td>
      <td className={`${cell} whitespace-nowrap`} title={formatDateTime(credential.lastUsedAt)} data-col="last-used">
        {credential.lastUsedAt ? formatShortDateTime(credential.lastUsedAt) : 'never'}
      </td>
      <td className={cell}>
        <TokenState revokedAt={credential.revokedAt} expiresAt={credential.expiresAt ?? null} />
      </td>
      <td className={`${cell} text-right`}>
        {!credential.revokedAt && (
          <button type="button" onClick={onRevoke} disabled={revoking} className="rounded border border-red-700 bg-white px-2.5 py-1 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60">
            Revoke
          </button>
        )}
      </td>
    </>
  );
}
