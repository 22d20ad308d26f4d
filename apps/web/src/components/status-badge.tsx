import type { JobStatus } from '@sluice/contracts';

// Dark text on light fills: every pair passes WCAG AA (4.5:1) and the word carries the meaning.
const STYLES: Record<string, string> = {
  InProgress: 'bg-blue-100 text-blue-900 ring-blue-300',
  Completed: 'bg-green-100 text-green-900 ring-green-300',
  Failed: 'bg-red-100 text-red-900 ring-red-300',
  Stopping: 'bg-amber-100 text-amber-900 ring-amber-300',
  Stopped: 'bg-slate-200 text-slate-900 ring-slate-400',
};

const LABELS: Record<string, string> = { InProgress: 'In progress' };

export function StatusBadge({ status }: { status: JobStatus | string }) {
  return (
    <span data-status={status} className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[status] ?? 'bg-slate-100 text-slate-900 ring-slate-300'}`}>
      {(status === 'InProgress' || status === 'Stopping') && <span aria-hidden="true" className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" />}
      {LABELS[status] ?? status}
    </span>
  );
}
