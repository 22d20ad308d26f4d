'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FieldIssue } from '@sluice/contracts';
import { ANALYSIS_FIELDS, emptyDraft, fieldOfIssue, issueMessage, NAME_FIELD, toCreateComparison, VARIANT_FIELD_GROUPS, type ComparisonDraft, type ComparisonMode } from '@/lib/comparison-request';
import { errorMessage } from '@/lib/format';
import type { FieldSpec } from '@/lib/new-job-request';
import { useTRPC } from '@/trpc/client';
import { FormErrorSummary } from './form-error-summary';
import { ComparisonJobPicker } from './comparison-job-picker';
import { ComparisonModelRows } from './comparison-model-rows';
import { InputCheck } from './input-check';
import { NewJobField } from './new-job-field';

const MODES: Array<{ mode: ComparisonMode; label: string; hint: string }> = [
  { mode: 'jobs', label: 'Compare existing jobs', hint: 'Jobs that already ran (or are running) over the same input.' },
  { mode: 'variants', label: 'Run models as variants', hint: 'One new job per model, all over one input with the same settings.' },
];

/** The new-comparison page: existing jobs (`?jobs=a,b` preselects them) or models to run, plus the analysis options. */
export function ComparisonForm({ jobs = [] }: { jobs?: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState<ComparisonDraft>(() => emptyDraft(jobs));
  const models = useQuery({ ...trpc.models.list.queryOptions(), enabled: draft.mode === 'variants' });
  const create = useMutation(trpc.comparisons.create.mutationOptions({ onSuccess: (c) => router.push(`/comparisons/${encodeURIComponent(c.name)}`) }));
  const summary = useRef<HTMLDivElement>(null);

  const issues: FieldIssue[] = (create.error as { data?: { issues?: FieldIssue[] } } | null)?.data?.issues ?? [];
  const byField = new Map<string, string>();
  const unmapped: FieldIssue[] = [];
  for (const issue of issues) {
    const field = fieldOfIssue(issue, draft.mode);
    const message = issueMessage(issue);
    if (field) byField.set(field, byField.has(field) ? `${byField.get(field)}; ${message}` : message);
    else unmapped.push(issue);
  }

  // After a refused submit, take keyboard and screen-reader users to the first problem.
  useEffect(() => {
    if (!create.isError) return;
    const first = document.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[data-invalid] input, fieldset[data-invalid] select');
    if (first) first.focus();
    else summary.current?.focus();
  }, [create.error, create.isError]);

  const setValue = (path: string) => (value: string) => setDraft((d) => ({ ...d, values: { ...d.values, [path]: value } }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toCreateComparison(draft));
  };
  // The variant fields under the names the input check knows (it reads a job request's paths).
  const jobValues = Object.fromEntries(Object.entries(draft.values).flatMap(([k, v]) => (k.startsWith('variants.') ? [[k.slice('variants.'.length), v]] : [])));
  const field = (spec: FieldSpec) => (
    <NewJobField key={spec.path} spec={spec} value={draft.values[spec.path] ?? ''} error={byField.get(spec.path)} models={models.data} onChange={setValue(spec.path)}>
      {spec.path === 'variants.input.uri' && <InputCheck values={jobValues} />}
    </NewJobField>
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-comparison-title" className="space-y-5">
      <header>
        <Link href="/comparisons" className="text-sm font-medium text-blue-800 underline-offset-2 hover:underline">
          ← All comparisons
        </Link>
        <h1 id="new-comparison-title" className="mt-1 text-2xl font-semibold tracking-tight">
          New comparison
        </h1>
        <p className="mt-1 text-sm text-slate-700">Run model variants over the same data and see them side by side. Fields left empty take the default shown in them. Fields marked * are required.</p>
      </header>

      <FormErrorSummary ref={summary} what="comparison" error={create.isError ? create.error : null} issues={issues} unmapped={unmapped} fieldsMarked={byField.size > 0} />

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-base font-semibold text-slate-900">Comparison</legend>
          <div className="space-y-4">
            {field(NAME_FIELD)}
            <div role="radiogroup" aria-label="What to compare" className="grid grid-cols-1 gap-2 sm:grid-cols-2">
              {MODES.map((m) => (
                <label key={m.mode} className={`cursor-pointer rounded border p-3 text-sm ${draft.mode === m.mode ? 'border-blue-800 bg-blue-50 ring-1 ring-blue-800' : 'border-slate-300 hover:bg-slate-50'}`}>
                  <span className="flex items-center gap-2 font-medium text-slate-900">
                    <input type="radio" name="mode" value={m.mode} checked={draft.mode === m.mode} onChange={() => setDraft((d) => ({ ...d, mode: m.mode }))} className="h-4 w-4 accent-blue-800" />
                    {m.label}
                  </span>
                  <span className="mt-1 block text-xs text-slate-700">{m.hint}</span>
                </label>
              ))}
            </div>
          </div>
        </fieldset>

        <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-base font-semibold text-slate-900">Analysis</legend>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">{ANALYSIS_FIELDS.map(field)}</div>
        </fieldset>

        {draft.mode === 'jobs' ? (
          <div className="lg:col-span-2">
            <ComparisonJobPicker value={draft.jobs} onChange={(picked) => setDraft((d) => ({ ...d, jobs: picked }))} error={byField.get('jobs')} />
          </div>
        ) : (
          <>
            <ComparisonModelRows rows={draft.models} models={models.data} onChange={(rows) => setDraft((d) => ({ ...d, models: rows }))} error={byField.get('variants.models')} />
            {VARIANT_FIELD_GROUPS.map((group) => (
              <fieldset key={group.id} className={`rounded-lg border border-slate-200 bg-white p-4 ${group.id === 'run' ? 'lg:col-span-2' : ''}`}>
                <legend className="px-1 text-base font-semibold text-slate-900">{group.legend}</legend>
                <div className={`grid grid-cols-1 gap-4 sm:grid-cols-2 ${group.id === 'run' ? 'lg:grid-cols-4' : ''}`}>{group.fields.map(field)}</div>
              </fieldset>
            ))}
          </>
        )}
      </div>

      {models.isError && <p className="text-sm text-red-800">Could not load the models: {errorMessage(models.error)}</p>}

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
        <button type="submit" disabled={create.isPending || create.isSuccess} className="rounded bg-blue-800 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-900 disabled:opacity-60">
          {create.isPending || create.isSuccess ? 'Creating…' : 'Create comparison'}
        </button>
        <Link href="/comparisons" className="rounded border border-slate-400 bg-white px-4 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100">
          Cancel
        </Link>
      </div>
    </form>
  );
}
