// The new-comparison form's model: its fields by dotted request path (the path the server names in
// `error.data.issues`), the create request a draft describes, and which field shows which issue.
// The variant jobs' settings reuse the new-job form's field specs under `variants.`.
import type { FieldIssue, TCreateComparison } from '@sluice/contracts';
import { ALL_FIELDS, type FieldGroup, type FieldSpec } from './new-job-request';

export type ComparisonMode = 'jobs' | 'variants';

export interface ModelRow {
  variant: string;
  modelName: string;
}

export interface ComparisonDraft {
  mode: ComparisonMode;
  /** Existing jobs in variant order. */
  jobs: string[];
  models: ModelRow[];
  /** By dotted request path; '' means "not set" (the server's default). */
  values: Record<string, string>;
}

export const NAME_FIELD: FieldSpec = { path: 'name', label: 'Comparison name', kind: 'text', required: true, hint: 'Letters, digits and hyphens; at most 63 characters.' };

export const ANALYSIS_FIELDS: FieldSpec[] = [
  {
    path: 'groundTruth',
    label: 'Ground truth',
    kind: 'text',
    placeholder: 'none',
    hint: 'Where each input record holds its true label: a JSONPath such as $.lang, or a CSV column such as _c3 (0-based). Adds accuracy, precision and recall.',
  },
  {
    path: 'labelPath',
    label: 'Label path',
    kind: 'text',
    placeholder: 'the whole output record',
    hint: 'Where each output record holds its label: a JSONPath such as $.label, or a CSV column. Empty: whole output records are compared.',
  },
  { path: 'maxDisagreements', label: 'Disagreements kept', kind: 'number', placeholder: '100', hint: 'How many disagreeing records to keep for browsing: 0 to 10000.' },
];

/** The new job form's settings that variant jobs share, by their path in a job request, in two groups. */
const VARIANT_JOB_GROUPS: Array<{ id: string; legend: string; fields: Array<{ path: string; hint?: string }> }> = [
  {
    id: 'io',
    legend: 'Input and output',
    fields: [
      { path: 'input.uri', hint: 'Every variant reads this same input.' },
      { path: 'input.dataType' },
      { path: 'transform.contentType' },
      { path: 'transform.splitType' },
      { path: 'transform.compressionType' },
      { path: 'output.uri', hint: 'Each variant writes under <output path>/<variant>/.' },
      { path: 'transform.accept' },
      { path: 'transform.assembleWith' },
    ],
  },
  {
    id: 'run',
    legend: 'Batching, data processing and resources',
    fields: [
      { path: 'transform.batchStrategy' },
      { path: 'transform.maxPayloadInMB' },
      { path: 'transform.maxConcurrentTransforms' },
      { path: 'transform.dataProcessing.inputFilter' },
      { path: 'transform.dataProcessing.outputFilter' },
      { path: 'transform.dataProcessing.joinSource' },
      { path: 'instanceCount' },
      { path: 'instanceType' },
    ],
  },
];

/** The variant jobs' fields, as the new job form shows them, under `variants.` in the request. */
export const VARIANT_FIELD_GROUPS: FieldGroup[] = VARIANT_JOB_GROUPS.map((group) => ({
  ...group,
  fields: group.fields.map(({ path, hint }) => {
    const spec = ALL_FIELDS.find((f) => f.path === path);
    if (!spec) throw new Error(`the new job form has no field ${path}`);
    return { ...spec, path: `variants.${path}`, ...(hint ? { hint } : {}) };
  }),
}));

export const VARIANT_FIELDS: FieldSpec[] = VARIANT_FIELD_GROUPS.flatMap((g) => g.fields);

const NUMERIC = new Set([...VARIANT_FIELDS, ...ANALYSIS_FIELDS].filter((f) => f.kind === 'number').map((f) => f.path));

export function emptyDraft(jobs: string[] = []): ComparisonDraft {
  return {
    mode: 'jobs',
    jobs,
    models: [
      { variant: '', modelName: '' },
      { variant: '', modelName: '' },
    ],
    // A comparison reads outputs one line per input record: the only settings the service accepts.
    values: { 'variants.transform.splitType': 'Line', 'variants.transform.assembleWith': 'Line' },
  };
}

/** The create request the draft describes: empty fields are left out so the server's defaults apply. */
export function toCreateComparison(draft: ComparisonDraft): TCreateComparison {
  const request: Record<string, unknown> = { name: (draft.values.name ?? '').trim() };
  const fields = draft.mode === 'variants' ? [...VARIANT_FIELDS, ...ANALYSIS_FIELDS] : ANALYSIS_FIELDS;
  for (const field of fields) {
    const raw = (draft.values[field.path] ?? '').trim();
    if (raw === '') continue;
    // A number the browser could not read stays text, so the server names the field.
    setPath(request, field.path, NUMERIC.has(field.path) && Number.isFinite(Number(raw)) ? Number(raw) : raw);
  }
  if (draft.mode === 'jobs') request.jobs = draft.jobs;
  else {
    // A variant left unnamed is named after its model, which is what a user means by it.
    const models = draft.models.filter((m) => m.modelName.trim() !== '' || m.variant.trim() !== '').map((m) => ({ variant: m.variant.trim() || m.modelName.trim(), modelName: m.modelName.trim() }));
    setPath(request, 'variants.models', models);
    // The server requires these objects; an empty URI is its to name.
    setPath(request, 'variants.input.uri', (draft.values['variants.input.uri'] ?? '').trim());
    setPath(request, 'variants.output.uri', (draft.values['variants.output.uri'] ?? '').trim());
  }
  return request as unknown as TCreateComparison;
}

/** Which form field shows an issue: its own, the jobs or models picker, or none (shown at the top). */
export function fieldOfIssue(issue: FieldIssue, mode: ComparisonMode): string | null {
  const fields = [NAME_FIELD, ...ANALYSIS_FIELDS, ...(mode === 'variants' ? VARIANT_FIELDS : [])];
  if (fields.some((f) => f.path === issue.path)) return issue.path;
  if (mode === 'jobs' && (issue.path === 'jobs' || issue.path.startsWith('jobs.'))) return 'jobs';
  if (mode === 'variants' && (issue.path === 'variants' || issue.path === 'variants.models' || issue.path.startsWith('variants.models.'))) return 'variants.models';
  // The refinement "either jobs or variants" names `jobs`: in variants mode it concerns the models.
  if (mode === 'variants' && issue.path === 'jobs') return 'variants.models';
  // A parent object (`variants.input`, `variants.transform`): the first field under it.
  const child = fields.find((f) => issue.path !== '' && f.path.startsWith(`${issue.path}.`));
  return child?.path ?? null;
}

/**
 * The issue's message as its field shows it: a picker shows the messages of all its rows, so one
 * about a row says which (`Model 2: …`).
 */
export function issueMessage(issue: FieldIssue): string {
  const row = /^(jobs|variants\.models)\.(\d+)(\.|$)/.exec(issue.path);
  if (!row) return issue.message;
  return `${row[1] === 'jobs' ? 'Job' : 'Model'} ${Number(row[2]) + 1}: ${issue.message}`;
}

/** `?jobs=a,b` or `?jobs=a&jobs=b`: the jobs to start the form with, each once, in order. */
export function jobsFromSearchParam(value: string | string[] | undefined): string[] {
  const names = (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return [...new Set(names)];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}
