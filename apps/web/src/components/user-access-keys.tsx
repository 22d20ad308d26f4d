'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { useSession } from '@/trpc/session';
import type { RouterOutputs } from '@/trpc/types';
import { ConfirmDialog } from './confirm-dialog';
import { EmptyState } from './empty-state';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Section } from './section';
import { CopyField, SecretReveal } from './token-reveal';
import { CredentialCells, CredentialHeaders } from './credential-cells';

type AccessKey = RouterOutputs['account']['keys']['list'][number];
type CreatedKey = RouterOutputs['account']['keys']['create'];

const cell = 'px-3 py-2 align-top';

/** The user's access keys for the SageMaker-compatible API (any AWS SDK): create (secret shown once), revoke. */
export function UserAccessKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<AccessKey | null>(null);
  const keys = useQuery(trpc.account.keys.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.keys.list.queryKey() });
  const create = useMutation(
    trpc.account.keys.create.mutationOptions({
      onSuccess: async (key) => {
        setCreated(key);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.account.keys.revoke.mutationOptions({ onSettled: refresh }));
  const endpoint = typeof window === 'undefined' ? '' : `${window.location.origin}/api/sagemaker`;

  return (
    <Section
      title="SageMaker API access keys"
      id="access-keys"
      aside={
        !created && (
          <button type="button" onClick={() => create.mutate()} disabled={create.isPending} className="rounded bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
            {create.isPending ? 'Creating…' : 'Create access key'}
          </button>
        )
      }
    >
      <p className="text-sm text-slate-700">
        For any AWS SDK or the AWS CLI pointed at <code className="rounded bg-slate-100 px-1 font-mono">{endpoint || '/api/sagemaker'}</code>: requests signed with these keys act as you in
        team <strong>{session?.team}</strong>.
      </p>
      {create.isError && (
        <p role="alert" className="text-sm text-red-800">
          {errorMessage(create.error)}
        </p>
      )}
      {created && (
        <SecretReveal title={`Access key ${created.accessKeyId} created`} onDone={() => setCreated(null)}>
          <CopyField label="Access key ID" value={created.accessKeyId} />
          <CopyField label="Secret access key" value={created.secretAccessKey} />
          <CopyField label="Environment" value={`export AWS_ACCESS_KEY_ID=${created.accessKeyId} AWS_SECRET_ACCESS_KEY=${created.secretAccessKey}`} />
        </SecretReveal>
      )}
      {keys.isPending ? (
        <LoadingState label="Loading access keys…" rows={2} />
      ) : keys.isError ? (
        <ErrorMessage title="Could not load your access keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No access keys yet">Create one for the SageMaker-compatible API.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Your SageMaker API access keys</caption>
            <thead className="bg-slate-100 text-left text-slate-800">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">Access key ID</th>
                <CredentialHeaders />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.data.map((key) => (
                <tr key={key.accessKeyId} data-access-key={key.accessKeyId} className="hover:bg-slate-50">
                  <td className={`${cell} font-mono text-xs leading-5`} data-col="access-key-id">
                    {key.accessKeyId}
                  </td>
                  <CredentialCells credential={key} onRevoke={() => setRevoking(key)} revoking={revoke.isPending} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.isError && (
        <p role="alert" className="text-sm text-red-800">
          {errorMessage(revoke.error)}
        </p>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke access key ${revoking?.accessKeyId ?? ''}?`}
        confirmLabel="Revoke key"
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate({ accessKeyId: revoking.accessKeyId });
          setRevoking(null);
        }}
      >
        AWS SDKs signing with this key are refused from now on. This cannot be undone.
      </ConfirmDialog>
    </Section>
  );
}
