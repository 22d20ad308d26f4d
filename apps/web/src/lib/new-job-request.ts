// The new-job form's model: every field of ZCreateJobSchema by its dotted request path (the same
// path the server names in `error.data.issues`), so a server issue lands on the field it concerns.
// The transform parameters' fields (label, section, hint, kind, choices, default) come from
// @sluice/params' table of fields and its schema; the job's own fields are written here.
import type { FieldIssue, JobView, TCreateJob } from '@sluice/contracts';
import { DATA_TYPES, DEFAULT_SHARD_SIZE_MB, defaultValue, dropUndefined, getPath, setPath, TRANSFORM_FIELDS, valueKind, type FormGroup, type TransformField } from '@sluice/params';

export interface FieldSpec {
  path: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'model';
  /** Select: the allowed values; the empty choice means "the default". */
  options?: readonly string[];
  /** Shown inside the empty field: the value used when it is left empty. */
  placeholder?: string;
  hint?: string;
  required?: boolean;
  step?: string;
}

export interface FieldGroup {
  id: string;
  legend: string;
  fields: FieldSpec[];
}

/** A transform parameter's field: an empty one shows the default (or what happens without one). A boolean is a choice of true or false. */
function parameterField(field: TransformField): FieldSpec {
  const value = valueKind(field.path);
  return dropUndefined({
    path: `transform.${field.path}`,
    label: field.label,
    kind: value.kind === 'choice' || value.kind === 'boolean' ? 'select' : value.kind === 'text' ? 'text' : 'number',
    options: value.kind === 'choice' ? value.values : value.kind === 'boolean' ? BOOLEAN_CHOICES : undefined,
    step: value.kind === 'number' ? 'any' : undefined,
    placeholder: field.placeholder ?? String(defaultValue(field.path)),
    hint: field.hint,
  });
}

const BOOLEAN_CHOICES = ['true', 'false'] as const;

const parameters = (group: FormGroup): FieldSpec[] => TRANSFORM_FIELDS.filter((field) => field.group === group).map(parameterField);

/** Grouped as SageMaker's console groups a transform job's settings. */
export const FIELD_GROUPS: FieldGroup[] = [
  {
    id: 'job',
    legend: 'Job',
    fields: [
      { path: 'name', label: 'Job name', kind: 'text', required: true, hint: 'Letters, digits and hyphens; at most 63 characters.' },
      { path: 'modelName', label: 'Model', kind: 'model', required: true },
    ],
  },
  {
    id: 'input',
    legend: 'Input data',
    fields: [
      { path: 'input.uri', label: 'Input URI', kind: 'text', required: true, placeholder: 's3://bucket/prefix/ or file:///data/in/' },
      { path: 'input.dataType', label: 'Data type', kind: 'select', options: DATA_TYPES, placeholder: 'S3Prefix' },
      ...parameters('input'),
    ],
  },
  {
    id: 'output',
    legend: 'Output data',
    fields: [
      { path: 'output.uri', label: 'Output path', kind: 'text', required: true, placeholder: 's3://bucket/prefix/ or file:///data/out/' },
      ...parameters('output'),
    ],
  },
  {
    id: 'resources',
    legend: 'Resources',
    fields: [
      { path: 'instanceCount', label: 'Instance count', kind: 'number', placeholder: '1', hint: '1 to 100.' },
      { path: 'instanceType', label: 'Instance type', kind: 'text', placeholder: 'default', hint: 'Names the pool of workers that runs the job.' },
      { path: 'pool', label: 'Worker pool', kind: 'text', placeholder: 'from the instance type', hint: 'Sluice: overrides the pool the instance type maps to.' },
    ],
  },
  {
    id: 'batch',
    legend: 'Batching and invocations',
    fields: parameters('batch'),
  },
  {
    id: 'data-processing',
    legend: 'Data processing',
    fields: parameters('data-processing'),
  },
  {
    id: 'data-capture',
    legend: 'Data capture',
    fields: parameters('data-capture'),
  },
  {
    id: 'sluice',
    legend: 'Sluice options',
    fields: [
      ...parameters('sluice'),
      { path: 'shardSizeMB', label: 'Shard size (MB)', kind: 'number', placeholder: String(DEFAULT_SHARD_SIZE_MB), hint: 'Line objects larger than this run as parallel shards.' },
    ],
  },
];

export const ALL_FIELDS: FieldSpec[] = FIELD_GROUPS.flatMap((g) => g.fields);
const NUMERIC = new Set(ALL_FIELDS.filter((f) => f.kind === 'number').map((f) => f.path));
const BOOLEAN = new Set(TRANSFORM_FIELDS.filter((f) => valueKind(f.path).kind === 'boolean').map((f) => `transform.${f.path}`));

export interface KeyValueRow {
  key: string;
  value: string;
}

export interface NewJobDraft {
  /** By dotted path; '' means "not set" (the server's default). */
  values: Record<string, string>;
  environment: KeyValueRow[];
  tags: KeyValueRow[];
}

export const EMPTY_DRAFT: NewJobDraft = { values: {}, environment: [], tags: [] };

/** The create request the draft describes: empty fields are left out so the server's defaults apply. */
export function toCreateRequest(draft: NewJobDraft): TCreateJob {
  const request: Record<string, unknown> = {};
  for (const field of ALL_FIELDS) {
    const raw = (draft.values[field.path] ?? '').trim();
    if (raw === '' && !field.required) continue;
    // A number the browser could not read stays text, so the server names the field.
    const value = NUMERIC.has(field.path) && raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : BOOLEAN.has(field.path) && (raw === 'true' || raw === 'false') ? raw === 'true' : raw;
    setPath(request, field.path, value);
  }
  const environment = draft.environment.filter((r) => r.key.trim() !== '' || r.value !== '');
  if (environment.length > 0) request.environment = Object.fromEntries(environment.map((r) => [r.key.trim(), r.value]));
  const tags = draft.tags.filter((r) => r.key.trim() !== '' || r.value !== '');
  if (tags.length > 0) request.tags = tags.map((r) => ({ key: r.key.trim(), value: r.value }));
  return request as unknown as TCreateJob;
}

/** Every field of `job` as a draft, for `?clone=NAME`. */
export function draftFromJob(job: JobView): NewJobDraft {
  const source = { ...job, name: `${job.name}-copy`.slice(0, 63), shardSizeMB: job.shardSizeMB ?? undefined };
  const values: Record<string, string> = {};
  for (const field of ALL_FIELDS) {
    const value = getPath(source, field.path);
    if (value !== undefined && value !== null) values[field.path] = String(value);
  }
  return {
    values,
    environment: Object.entries(job.environment).map(([key, value]) => ({ key, value })),
    tags: job.tags.map((t) => ({ key: t.key, value: t.value })),
  };
}

/** Which form field shows an issue: its own, the Environment or Tags rows, or none (shown at the top). */
export function fieldOfIssue(issue: FieldIssue): string | null {
  if (ALL_FIELDS.some((f) => f.path === issue.path)) return issue.path;
  if (issue.path === 'environment' || issue.path.startsWith('environment.')) return 'environment';
  if (issue.path === 'tags' || issue.path.startsWith('tags.')) return 'tags';
  // `input` alone, or a parent object: the first field under it.
  const child = ALL_FIELDS.find((f) => issue.path !== '' && f.path.startsWith(`${issue.path}.`));
  return child?.path ?? null;
}
