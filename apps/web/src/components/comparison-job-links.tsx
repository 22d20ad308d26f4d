'use client';
import Link from 'next/link';
import type { JobView } from '@sluice/contracts';
import { useCanWrite } from '@/trpc/session';
import { ComparisonStatusBadge } from './comparison-status-badge';

/**
 * The job page's "Comparisons" line (a `<dt>`/`<dd>` pair for its details list): each comparison
 * the job is a variant of, and "Compare with…", which opens the new comparison form with this job
 * chosen. Viewers see the links but not the action, which the API would refuse them.
 */
export function JobComparisonsLine({ job }: { job: JobView }) {
  const canWrite = useCanWrite();
  const comparisons = job.comparisons ?? [];
  if (comparisons.length === 0 && !canWrite) return null;
  return (
    <>
      <dt className="text-slate-700">Comparisons</dt>
      <dd className="flex flex-wrap items-center gap-x-3 gap-y-1" data-job-comparisons>
        {comparisons.map((c) => (
          <span key={c.name} className="inline-flex items-center gap-1.5">
            <Link className="text-blue-800 underline" href={`/comparisons/${encodeURIComponent(c.name)}`}>
              {c.name}
            </Link>
            <ComparisonStatusBadge status={c.status} />
          </span>
        ))}
        {canWrite && (
          <Link
            href={`/comparisons/new?jobs=${encodeURIComponent(job.name)}`}
            className="rounded border border-slate-400 bg-white px-2 py-0.5 text-xs font-medium text-slate-900 hover:bg-slate-100"
          >
            Compare with…
          </Link>
        )}
      </dd>
    </>
  );
}
