'use client';
import type { ReactNode } from 'react';
import type { ModelView } from '@sluice/contracts';
import type { FieldSpec, KeyValueRow } from '@/lib/new-job-request';

export const inputClass =
  'mt-1 block w-full rounded border bg-white px-2 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700';

function idOf(path: string): string {
  return `field-${path.replace(/\./g, '-')}`;
}

/** One labelled field with its default as the placeholder, its hint, and the server's message for it. */
export function NewJobField({
  spec,
  value,
  error,
  models,
  onChange,
  children,
}: {
  spec: FieldSpec;
  value: string;
  error?: string;
  models: ModelView[] | undefined;
  onChange: (value: string) => void;
  /** Shown under the field, e.g. the input URI's check. */
  children?: ReactNode;
}) {
  const id = idOf(spec.path);
  const describedBy = [spec.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: spec.path,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    required: spec.required,
    className: `${inputClass} ${error ? 'border-red-700' : 'border-slate-400'}`,
  };
  return (
    <div className="min-w-0" data-field={spec.path}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {spec.label}
        {spec.required && (
          <span aria-hidden="true" className="text-red-800">
            {' '}
            *
          </span>
        )}
      </label>
      {spec.kind === 'select' ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">Default ({spec.placeholder})</option>
          {spec.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : spec.kind === 'model' ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">{models ? (models.length ? 'Choose a model' : 'No models registered') : 'Loading models…'}</option>
          {/* A cloned job's model may since have been deleted: keep it choosable so the server names the problem. */}
          {value && !models?.some((m) => m.name === value) && <option value={value}>{value}</option>}
          {models?.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name} ({m.kind})
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={spec.kind === 'number' ? 'number' : 'text'}
          inputMode={spec.kind === 'number' ? 'decimal' : undefined}
          step={spec.step}
          placeholder={spec.placeholder}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {spec.hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {spec.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800" data-error-for={spec.path}>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

/** Environment variables or tags: rows of key and value, added and removed with buttons. */
export function NewJobKeyValueRows({ id, legend, hint, rows, error, onChange }: { id: string; legend: string; hint: string; rows: KeyValueRow[]; error?: string; onChange: (rows: KeyValueRow[]) => void }) {
  const set = (index: number, patch: Partial<KeyValueRow>) => onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const singular = legend === 'Tags' ? 'tag' : 'variable';
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} data-field={id}>
      <legend className="px-1 text-base font-semibold text-slate-900">{legend}</legend>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {hint}
      </p>
      <ul className="mt-2 space-y-2">
        {rows.map((row, i) => (
          <li key={i} className="grid grid-cols-[1fr_1fr_auto] items-end gap-2">
            <label className="text-sm font-medium text-slate-800">
              Key {i + 1}
              <input value={row.key} onChange={(e) => set(i, { key: e.target.value })} className={`${inputClass} border-slate-400`} autoComplete="off" />
            </label>
            <label className="text-sm font-medium text-slate-800">
              Value {i + 1}
              <input value={row.value} onChange={(e) => set(i, { value: e.target.value })} className={`${inputClass} border-slate-400`} autoComplete="off" />
            </label>
            <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove ${singular} ${i + 1}`} className="mb-0.5 rounded border border-slate-400 px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100">
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onChange([...rows, { key: '', value: '' }])} className="mt-3 rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100">
        Add {singular}
      </button>
      {error && (
        <p id={`${id}-error`} className="mt-2 text-sm font-medium text-red-800" data-error-for={id}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
