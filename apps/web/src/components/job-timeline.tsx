import type { JobView } from '@sluice/contracts';
import { formatDateTime } from '@/lib/format';

const TERMINAL: Record<string, string> = { Completed: 'Completed', Failed: 'Failed', Stopped: 'Stopped' };

/** Created → Started → Completed / Failed / Stopped, with the time of each step reached. */
export function JobTimeline({ job }: { job: JobView }) {
  const end = TERMINAL[job.status] ?? (job.status === 'Stopping' ? 'Stopping' : 'Ends');
  const steps = [
    { label: 'Created', time: job.creationTime, reached: true },
    { label: 'Started', time: job.transformStartTime, reached: Boolean(job.transformStartTime) },
    { label: end, time: job.transformEndTime ?? (job.status === 'Stopping' ? job.lastModifiedTime : null), reached: Boolean(job.transformEndTime) || job.status === 'Stopping' },
  ];
  const tone = job.status === 'Failed' ? 'bg-red-700' : job.status === 'Stopped' || job.status === 'Stopping' ? 'bg-amber-600' : 'bg-blue-700';
  return (
    <ol aria-label="Status timeline" className="grid grid-cols-1 gap-3 sm:grid-cols-3">
      {steps.map((step, i) => (
        <li key={step.label} className="flex items-start gap-3">
          <span aria-hidden="true" className={`mt-1 h-3 w-3 shrink-0 rounded-full ${step.reached ? (i === 2 ? tone : 'bg-blue-700') : 'border-2 border-slate-400 bg-white'}`} />
          <div>
            <p className="text-sm font-semibold text-slate-900">
              {step.label}
              {!step.reached && <span className="sr-only"> (not yet)</span>}
            </p>
            <p className="text-sm tabular-nums text-slate-700">{step.reached ? formatDateTime(step.time) : 'not yet'}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
