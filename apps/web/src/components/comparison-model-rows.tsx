'use client';
import { useId } from 'react';
import type { ModelView } from '@sluice/contracts';
import type { ModelRow } from '@/lib/comparison-request';
import { inputClass } from './new-job-field';

const MAX_MODELS = 10;

/** The models to run as variants, one row each: the model and the variant's name (its job is `<comparison>-<variant>`). */
export function ComparisonModelRows({ rows, models, onChange, error }: { rows: ModelRow[]; models: ModelView[] | undefined; onChange: (rows: ModelRow[]) => void; error?: string | undefined }) {
  const id = useId();
  const set = (index: number, patch: Partial<ModelRow>) => onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4" aria-describedby={`models-hint${error ? ' models-error' : ''}`} data-field="variants.models" data-invalid={error ? true : undefined}>
      <legend className="px-1 text-base font-semibold text-slate-900">
        Models
        <span aria-hidden="true" className="text-red-800">
          {' '}
          *
        </span>
      </legend>
      <p id="models-hint" className="text-xs text-slate-600">
        2 to 10 models, each run as one variant job named &lt;comparison&gt;-&lt;variant&gt; over the same input. A variant left unnamed takes its model&apos;s name.
      </p>
      <ul className="mt-2 space-y-2">
        {rows.map((row, i) => (
          <li key={i} className="grid grid-cols-[1fr_1fr_auto] items-end gap-2" data-model-row={i}>
            <div>
              <label htmlFor={`${id}-model-${i}`} className="text-sm font-medium text-slate-800">
                Model {i + 1}
              </label>
              <select id={`${id}-model-${i}`} value={row.modelName} onChange={(e) => set(i, { modelName: e.target.value })} className={`${inputClass} border-slate-400`}>
                <option value="">{models ? (models.length ? 'Choose a model' : 'No models registered') : 'Loading models…'}</option>
                {models?.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name} ({m.kind})
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-variant-${i}`} className="text-sm font-medium text-slate-800">
                Variant {i + 1}
              </label>
              <input
                id={`${id}-variant-${i}`}
                value={row.variant}
                onChange={(e) => set(i, { variant: e.target.value })}
                placeholder={row.modelName || 'the model’s name'}
                className={`${inputClass} border-slate-400`}
                autoComplete="off"
              />
            </div>
            <button
              type="button"
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
              aria-label={`Remove model ${i + 1}`}
              className="mb-0.5 rounded border border-slate-400 px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100"
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        disabled={rows.length >= MAX_MODELS}
        onClick={() => onChange([...rows, { variant: '', modelName: '' }])}
        className="mt-3 rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-500"
      >
        Add model
      </button>
      {error && (
        <p id="models-error" className="mt-2 text-sm font-medium text-red-800" data-error-for="variants.models">
          {error}
        </p>
      )}
    </fieldset>
  );
}
