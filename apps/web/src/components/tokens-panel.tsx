'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isLocalAdmin } from '@/lib/auth-client';
import { issuesByField } from '@/lib/field-issues';
import { errorMessage } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { useSession } from '@/trpc/session';
import type { RouterOutputs } from '@/trpc/types';
import { ConfirmDialog } from './confirm-dialog';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Section } from './section';
import { CopyField, SecretReveal } from './token-reveal';
import { credentialColumns } from './credential-columns';

type Token = RouterOutputs['account']['tokens']['list'][number];
type CreatedToken = RouterOutputs['account']['tokens']['create'];

/** Days a new token lasts; '' until revoked. */
const LIFETIMES = [
  { days: '', label: 'Until revoked' },
  { days: '30', label: '30 days' },
  { days: '90', label: '90 days' },
  { days: '365', label: '1 year' },
];
const input = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 focus:border-blue-700 focus:outline-none focus:ring-2 focus:ring-blue-700/30 aria-[invalid=true]:border-red-700';

/** Personal API tokens for the SDK and CLI: list, create (shown once), revoke (confirmed). */
export function TokensPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const tokens = useQuery(trpc.account.tokens.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.tokens.list.queryKey() });
  const create = useMutation(
    trpc.account.tokens.create.mutationOptions({
      onSuccess: async (token) => {
        setCreated(token);
        setName('');
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.account.tokens.revoke.mutationOptions({ onSettled: refresh }));
  const issues = create.isError ? issuesByField(create.error) : {};

  if (session && isLocalAdmin(session))
    return (
      <Section title="API tokens" id="api-tokens">
        <EmptyState title="No tokens in local mode">
          The SDK and CLI reach this local Sluice without one. Tokens belong to users, for a Sluice that requires sign-in (
          <code className="rounded bg-slate-100 px-1 font-mono">SLUICE_AUTH=required</code>): create one with{' '}
          <code className="rounded bg-slate-100 px-1 font-mono">sluice users create --email you@example.com --team default --role admin --password-stdin</code>.
        </EmptyState>
      </Section>
    );

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    // No name: the server calls it 'token'.
    create.mutate({ ...(name.trim() ? { name: name.trim() } : {}), ...(lifetime ? { expiresInDays: Number(lifetime) } : {}) });
  }

  return (
    <Section title="API tokens" id="api-tokens">
      <p className="text-sm text-slate-700">
        For the SDK and the CLI: set <code className="rounded bg-slate-100 px-1 font-mono">SLUICE_TOKEN</code> and every request acts as you in team{' '}
        <strong>{session?.team}</strong>. Sluice keeps only a hash of each token.
      </p>
      {created ? (
        <SecretReveal title={`Token ${created.name} created`} onDone={() => setCreated(null)}>
          <CopyField label="Token" value={created.token} />
          <CopyField label="Shell" value={`export SLUICE_TOKEN=${created.token}`} />
        </SecretReveal>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Create an API token" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
          <label className="min-w-64 flex-1 text-sm font-medium text-slate-800">
            Token name
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="laptop CLI, nightly pipeline…" aria-invalid={Boolean(issues.name)} className={input} />
            {issues.name && (
              <span data-field-error className="mt-1 block text-sm font-normal text-red-800">
                {issues.name}
              </span>
            )}
          </label>
          <label className="text-sm font-medium text-slate-800">
            Expires
            <select value={lifetime} onChange={(e) => setLifetime(e.target.value)} aria-invalid={Boolean(issues.expiresInDays)} className={input}>
              {LIFETIMES.map((l) => (
                <option key={l.days} value={l.days}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={create.isPending} className="rounded bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
          {create.isError && !issues.name && (
            <p role="alert" className="basis-full text-sm text-red-800">
              {errorMessage(create.error)}
            </p>
          )}
        </form>
      )}
      {tokens.isPending ? (
        <LoadingState label="Loading tokens…" rows={2} />
      ) : tokens.isError ? (
        <ErrorMessage title="Could not load your tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <DataTable
          columns={[
            { id: 'name', header: 'Name', accessorFn: (token) => token.name, meta: { className: 'font-medium' } },
            { id: 'prefix', header: 'Token', meta: { col: 'prefix', className: 'font-mono text-xs leading-5' }, cell: ({ row }) => `${row.original.prefix}…` },
            ...credentialColumns<Token>({ onRevoke: setRevoking, revoking: revoke.isPending }),
          ]}
          data={tokens.data}
          rowId={(token) => token.id}
          rowProps={(token) => ({ 'data-token': token.prefix })}
          caption="Your API tokens"
          empty={<EmptyState title="No tokens yet">Create one above, or with <code className="rounded bg-slate-100 px-1 font-mono">sluice tokens create --email {session?.user.email}</code>.</EmptyState>}
        />
      )}
      {revoke.isError && (
        <p role="alert" className="text-sm text-red-800">
          {errorMessage(revoke.error)}
        </p>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke token ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke token"
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate({ id: revoking.id });
          setRevoking(null);
        }}
      >
        Every SDK, CLI or script using <code className="font-mono">{revoking?.prefix}…</code> is refused from now on. This cannot be undone.
      </ConfirmDialog>
    </Section>
  );
}
