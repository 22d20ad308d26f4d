import { formatDateTime, formatShortDateTime } from '@/lib/format';

/** Whether a token or an access key still works: Active, Expired, or Revoked (and when). */
export function TokenState({ revokedAt, expiresAt }: { revokedAt: Date | null; expiresAt?: Date | null }) {
  if (revokedAt)
    return (
      <span data-token-state="revoked" className="rounded-full bg-slate-200 px-2.5 py-0.5 text-xs font-semibold text-slate-900" title={formatDateTime(revokedAt)}>
        Revoked {formatShortDateTime(revokedAt)}
      </span>
    );
  if (expiresAt && expiresAt.getTime() <= Date.now())
    return (
      <span data-token-state="expired" className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900" title={formatDateTime(expiresAt)}>
        Expired
      </span>
    );
  return (
    <span data-token-state="active" className="rounded-full bg-green-100 px-2.5 py-0.5 text-xs font-semibold text-green-900" title={expiresAt ? `Expires ${formatDateTime(expiresAt)}` : 'Until revoked'}>
      {expiresAt ? `Active until ${formatShortDateTime(expiresAt)}` : 'Active'}
    </span>
  );
}
