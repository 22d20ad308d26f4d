import type { ComparisonStatus } from '@sluice/contracts';
import { StatusBadge } from './status-badge';

/**
 * A comparison's status in the jobs' badge: the shared states look the same; waiting for its jobs
 * reads as words and pulses like a running job, since it is one from the user's point of view.
 */
export function ComparisonStatusBadge({ status }: { status: ComparisonStatus | string }) {
  if (status !== 'WaitingForJobs') return <StatusBadge status={status} />;
  return (
    <span data-status={status} className="inline-flex items-center gap-1.5 whitespace-nowrap rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-inset ring-amber-300">
      <span aria-hidden="true" className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" />
      Waiting for jobs
    </span>
  );
}

export function isComparisonLive(status: string | undefined): boolean {
  return status === 'WaitingForJobs' || status === 'InProgress';
}
