'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FieldIssue } from '@sluice/contracts';
import { errorMessage } from '@/lib/format';
import { draftFromJob, EMPTY_DRAFT, FIELD_GROUPS, fieldOfIssue, toCreateRequest, type NewJobDraft } from '@/lib/new-job-request';
import { useTRPC } from '@/trpc/client';
import { ErrorMessage } from './error-message';
import { FormErrorSummary } from './form-error-summary';
import { InputCheck } from './input-check';
import { LoadingState } from './loading-state';
import { NewJobField, NewJobKeyValueRows } from './new-job-field';

/** The new-job page: every create parameter, optionally prefilled from the job named by `?clone=`. */
export function NewJobForm({ cloneFrom }: { cloneFrom?: string }) {
  const trpc = useTRPC();
  const source = useQuery({ ...trpc.jobs.describe.queryOptions({ name: cloneFrom ?? '' }), enabled: Boolean(cloneFrom), refetchOnWindowFocus: false });
  if (!cloneFrom) return <Form initial={EMPTY_DRAFT} />;
  if (source.isPending) return <LoadingState label={`Loading ${cloneFrom}…`} />;
  if (source.isError) return <ErrorMessage title={`Could not load ${cloneFrom} to clone it`} error={source.error} onRetry={() => void source.refetch()} />;
  return <Form initial={draftFromJob(source.data)} cloneFrom={cloneFrom} />;
}

function Form({ initial, cloneFrom }: { initial: NewJobDraft; cloneFrom?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState(initial);
  const models = useQuery(trpc.models.list.queryOptions());
  const create = useMutation(trpc.jobs.create.mutationOptions({ onSuccess: (job) => router.push(`/jobs/${encodeURIComponent(job.name)}`) }));
  const summary = useRef<HTMLDivElement>(null);

  const issues: FieldIssue[] = (create.error?.data as { issues?: FieldIssue[] } | undefined)?.issues ?? [];
  const byField = new Map<string, string>();
  const unmapped: FieldIssue[] = [];
  for (const issue of issues) {
    const field = fieldOfIssue(issue);
    if (field) byField.set(field, byField.has(field) ? `${byField.get(field)}; ${issue.message}` : issue.message);
    else unmapped.push(issue);
  }

  // After a refused submit, take keyboard and screen-reader users to the first problem.
  useEffect(() => {
    if (!create.isError) return;
    const first = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (first) first.focus();
    else summary.current?.focus();
  }, [create.error]);

  const setValue = (path: string) => (value: string) => setDraft((d) => ({ ...d, values: { ...d.values, [path]: value } }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toCreateRequest(draft));
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-job-title" className="space-y-5">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <Link href="/jobs" className="text-sm font-medium text-blue-800 underline-offset-2 hover:underline">
            ← All jobs
          </Link>
          <h1 id="new-job-title" className="mt-1 text-2xl font-semibold tracking-tight">
            {cloneFrom ? `Clone ${cloneFrom}` : 'New job'}
          </h1>
          <p className="mt-1 text-sm text-slate-700">Fields left empty take the default shown in them. Fields marked * are required.</p>
        </div>
      </header>

      <FormErrorSummary ref={summary} what="job" error={create.isError ? create.error : null} issues={issues} unmapped={unmapped} fieldsMarked={byField.size > 0} />

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        {FIELD_GROUPS.map((group) => (
          <fieldset key={group.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <legend className="px-1 text-base font-semibold text-slate-900">{group.legend}</legend>
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              {group.fields.map((spec) => (
                <NewJobField key={spec.path} spec={spec} value={draft.values[spec.path] ?? ''} error={byField.get(spec.path)} models={models.data} onChange={setValue(spec.path)}>
                  {spec.path === 'input.uri' && <InputCheck values={draft.values} />}
                </NewJobField>
              ))}
            </div>
          </fieldset>
        ))}
        <NewJobKeyValueRows
          id="environment"
          legend="Environment"
          hint="Variables passed to the model: at most 16; keys are letters, digits and underscores."
          rows={draft.environment}
          error={byField.get('environment')}
          onChange={(environment) => setDraft((d) => ({ ...d, environment }))}
        />
        <NewJobKeyValueRows id="tags" legend="Tags" hint="At most 50; keys 1–128 characters, values up to 256." rows={draft.tags} error={byField.get('tags')} onChange={(tags) => setDraft((d) => ({ ...d, tags }))} />
      </div>

      {models.isError && <p className="text-sm text-red-800">Could not load the models: {errorMessage(models.error)}</p>}

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
        <button type="submit" disabled={create.isPending || create.isSuccess} className="rounded bg-blue-800 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-900 disabled:opacity-60">
          {create.isPending || create.isSuccess ? 'Creating…' : 'Create job'}
        </button>
        <Link href="/jobs" className="rounded border border-slate-400 bg-white px-4 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100">
          Cancel
        </Link>
      </div>
    </form>
  );
}
