'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { JobView } from '@sluice/contracts';
import { formatShortDateTime } from '@/lib/format';
import { useDebounced } from '@/lib/use-debounced';
import { useTRPC } from '@/trpc/client';
import { DataTable, type DataTableProps } from './data-table';
import { inputClass } from './new-job-field';
import { StatusBadge } from './status-badge';

const LIMIT = 15;
const small = 'rounded border border-slate-400 bg-white px-2 py-0.5 text-xs font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-400';

/**
 * Existing jobs to compare, chosen from the team's history: the chosen ones in variant order (moved
 * up or removed), and the latest jobs, searchable by name, to add. Jobs over another input than the
 * first chosen are marked: the service compares only jobs that read the same snapshot.
 */
export function ComparisonJobPicker({ value, onChange, error }: { value: string[]; onChange: (jobs: string[]) => void; error?: string | undefined }) {
  const trpc = useTRPC();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const settled = useDebounced(search.trim());
  const jobs = useQuery(trpc.jobs.list.queryOptions({ limit: LIMIT, sortBy: 'CreationTime', sortOrder: 'Descending', ...(settled ? { nameContains: settled } : {}) }, { placeholderData: keepPreviousData }));
  // What we know of the chosen jobs: from this page of the list, or looked up when it is not on it.
  const first = value[0];
  const firstJob = useQuery({ ...trpc.jobs.describe.queryOptions({ name: first ?? '' }), enabled: Boolean(first), retry: false });
  const known = new Map<string, JobView>((jobs.data?.items ?? []).map((j) => [j.name, j]));
  if (firstJob.data) known.set(firstJob.data.name, firstJob.data);
  const baseInput = firstJob.data?.input.uri;

  const toggle = (name: string) => onChange(value.includes(name) ? value.filter((n) => n !== name) : [...value, name]);
  const moveUp = (i: number) => onChange(value.map((n, j) => (j === i - 1 ? value[i]! : j === i ? value[i - 1]! : n)));

  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-describedby={`jobs-hint${error ? ' jobs-error' : ''}`} data-field="jobs" data-invalid={error ? true : undefined}>
      <legend className="px-1 text-base font-semibold text-slate-900">
        Jobs to compare
        <span aria-hidden="true" className="text-red-800">
          {' '}
          *
        </span>
      </legend>
      <p id="jobs-hint" className="text-xs text-slate-600">
        Choose 2 to 10 jobs that read the same input (the service checks that their input snapshots are identical). They are shown in the order chosen.
      </p>

      <div>
        <h3 className="text-sm font-medium text-slate-800">Chosen ({value.length})</h3>
        {value.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">None yet: add jobs from the list below.</p>
        ) : (
          <ol className="mt-1 space-y-1" data-chosen-jobs>
            {value.map((name, i) => (
              <li key={name} className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-slate-50 px-2 py-1 text-sm" data-chosen-job={name}>
                <span className="w-5 tabular-nums text-slate-700">{i + 1}.</span>
                <span className="font-medium">{name}</span>
                {known.get(name) && <span className="text-xs text-slate-600">{known.get(name)!.modelName}</span>}
                <span className="ml-auto flex gap-1">
                  <button type="button" className={small} onClick={() => moveUp(i)} disabled={i === 0} aria-label={`Move ${name} up`}>
                    ↑
                  </button>
                  <button type="button" className={small} onClick={() => toggle(name)} aria-label={`Remove ${name}`}>
                    Remove
                  </button>
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>

      <div>
        <label htmlFor={searchId} className="text-sm font-medium text-slate-800">
          Search jobs by name
        </label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="part of a job name" autoComplete="off" className={`${inputClass} border-slate-400`} />
      </div>
      {jobs.isError ? (
        <p className="text-sm text-red-800">Could not load the jobs. Reload the page to try again.</p>
      ) : !jobs.data ? (
        <p className="text-sm text-slate-600">Loading jobs…</p>
      ) : jobs.data.items.length === 0 ? (
        <p className="text-sm text-slate-600">{settled ? 'No job name contains this.' : 'No jobs yet: run some first, or compare models instead.'}</p>
      ) : (
        <DataTable
          columns={pickerColumns({ chosen: value, toggle, first, baseInput })}
          data={jobs.data.items}
          rowId={(job) => job.name}
          rowProps={(job) => ({ 'data-job-choice': job.name })}
          tableProps={{ 'data-job-choices': true }}
          caption="Recent jobs"
          density="compact"
          frameClassName="max-h-80 overflow-y-auto"
          stickyHeader
          valign="middle"
        />
      )}
      {jobs.data?.nextCursor && <p className="text-xs text-slate-600">The {LIMIT} latest are listed: search by name for older jobs.</p>}
      {error && (
        <p id="jobs-error" className="text-sm font-medium text-red-800" data-error-for="jobs">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * The latest jobs' columns: a checkbox to choose each (its label is the job's name), and a mark on
 * jobs over another input than the first chosen job's (`baseInput`).
 */
function pickerColumns({ chosen, toggle, first, baseInput }: { chosen: string[]; toggle: (name: string) => void; first: string | undefined; baseInput: string | undefined }): DataTableProps<JobView>['columns'] {
  return [
    {
      id: 'chosen',
      header: () => <span className="sr-only">Chosen</span>,
      meta: { headerClassName: 'w-8' },
      cell: ({ row: { original: job } }) => <input id={`pick-${job.name}`} type="checkbox" checked={chosen.includes(job.name)} onChange={() => toggle(job.name)} className="h-4 w-4 accent-blue-800" />,
    },
    { id: 'job', header: 'Job', meta: { className: 'font-medium' }, cell: ({ row }) => <label htmlFor={`pick-${row.original.name}`}>{row.original.name}</label> },
    { id: 'model', header: 'Model', accessorFn: (job) => job.modelName },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: 'input',
      header: 'Input',
      meta: { className: 'max-w-64' },
      cell: ({ row: { original: job } }) => (
        <>
          <span className="block truncate font-mono text-xs" title={job.input.uri}>
            {job.input.uri}
          </span>
          {baseInput !== undefined && job.input.uri !== baseInput && job.name !== first && <span className="text-xs font-medium text-amber-900">another input than {first}</span>}
        </>
      ),
    },
    { id: 'created', header: 'Created', meta: { className: 'whitespace-nowrap' }, cell: ({ row }) => formatShortDateTime(row.original.creationTime) },
  ];
}
