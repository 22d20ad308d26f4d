'use client';
import { JOB_STATUSES } from '@sluice/contracts';

export interface JobFilters {
  status: string;
  nameContains: string;
  modelName: string;
  createdBy: string;
  /** yyyy-mm-dd, or empty. */
  createdAfter: string;
}

export const NO_FILTERS: JobFilters = { status: '', nameContains: '', modelName: '', createdBy: '', createdAfter: '' };

const field = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 placeholder:text-slate-500';

export function JobsFilters({ value, onChange }: { value: JobFilters; onChange: (next: JobFilters) => void }) {
  const set = (key: keyof JobFilters) => (event: { target: { value: string } }) => onChange({ ...value, [key]: event.target.value });
  const active = Object.values(value).some(Boolean);
  return (
    <form role="search" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-6">
      <label className="text-sm font-medium text-slate-800 lg:col-span-2">
        Search by name
        <input type="search" value={value.nameContains} onChange={set('nameContains')} placeholder="part of a job name" className={field} />
      </label>
      <label className="text-sm font-medium text-slate-800">
        Status
        <select value={value.status} onChange={set('status')} className={field}>
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === 'InProgress' ? 'In progress' : s}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm font-medium text-slate-800">
        Model
        <input value={value.modelName} onChange={set('modelName')} placeholder="model name" className={field} />
      </label>
      <label className="text-sm font-medium text-slate-800">
        Creator
        <input value={value.createdBy} onChange={set('createdBy')} placeholder="who created it" className={field} />
      </label>
      <div className="flex min-w-0 items-end gap-2">
        <label className="min-w-0 flex-1 text-sm font-medium text-slate-800">
          Created since
          <input type="date" value={value.createdAfter} onChange={set('createdAfter')} className={field} />
        </label>
        {active && (
          <button type="button" onClick={() => onChange(NO_FILTERS)} className="mb-0.5 rounded border border-slate-400 px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
