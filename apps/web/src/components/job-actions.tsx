'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { JobView } from '@sluice/contracts';
import { errorMessage } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { useCanWrite } from '@/trpc/session';
import { ConfirmDialog } from './confirm-dialog';

const secondary = 'rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-500';

/** Stop (confirmed), Retry failed (confirmed), and Clone (to the new-job page, prefilled). */
export function JobActions({ job }: { job: JobView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<'stop' | 'retry' | null>(null);
  const refresh = () => queryClient.invalidateQueries();
  const stop = useMutation(trpc.jobs.stop.mutationOptions({ onSettled: refresh }));
  const retry = useMutation(trpc.jobs.retryFailed.mutationOptions({ onSettled: refresh }));
  const canWrite = useCanWrite();
  const canStop = job.status === 'InProgress';
  const canRetry = job.status === 'Failed' || job.status === 'Stopped';
  const failure = stop.error ?? retry.error;
  // Viewers may look, not change: the API would refuse them, so the buttons are not offered.
  if (!canWrite) return null;
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        {canStop && (
          <button type="button" onClick={() => setAsking('stop')} disabled={stop.isPending} className="rounded bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60">
            {stop.isPending ? 'Stopping…' : 'Stop'}
          </button>
        )}
        {canRetry && (
          <button type="button" onClick={() => setAsking('retry')} disabled={retry.isPending} className={secondary}>
            {retry.isPending ? 'Retrying…' : 'Retry failed'}
          </button>
        )}
        <Link href={`/jobs/new?clone=${encodeURIComponent(job.name)}`} className={secondary}>
          Clone
        </Link>
      </div>
      {failure && (
        <p role="alert" className="text-sm text-red-800">
          {errorMessage(failure)}
        </p>
      )}
      <ConfirmDialog
        open={asking === 'stop'}
        title={`Stop ${job.name}?`}
        confirmLabel="Stop job"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          stop.mutate({ name: job.name });
        }}
      >
        Running tasks are aborted within seconds and their partial outputs are discarded. Objects already written stay. You can retry the rest later.
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'retry'}
        title={`Retry the failed objects of ${job.name}?`}
        confirmLabel="Retry failed"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          retry.mutate({ name: job.name });
        }}
      >
        The objects that did not complete run again as run {job.run + 1} of this job. Completed objects are kept.
      </ConfirmDialog>
    </div>
  );
}
