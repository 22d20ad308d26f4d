'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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

type AccessKey = RouterOutputs['account']['keys']['list'][number];
type CreatedKey = RouterOutputs['account']['keys']['create'];


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
      ) : (
        <DataTable
          columns={[
            { id: 'accessKeyId', header: 'Access key ID', accessorFn: (key) => key.accessKeyId, meta: { col: 'access-key-id', className: 'font-mono text-xs leading-5' } },
            ...credentialColumns<AccessKey>({ onRevoke: setRevoking, revoking: revoke.isPending }),
          ]}
          data={keys.data}
          rowId={(key) => key.accessKeyId}
          rowProps={(key) => ({ 'data-access-key': key.accessKeyId })}
          caption="Your SageMaker API access keys"
          empty={<EmptyState title="No access keys yet">Create one for the SageMaker-compatible API.</EmptyState>}
        />
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
