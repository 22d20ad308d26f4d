// The new-job form's model: every field of ZCreateJobSchema by its dotted request path (the same
// path the server names in `error.data.issues`), so a server issue lands on the field it concerns.
import type { FieldIssue, JobView, TCreateJob } from '@sluice/contracts';
import { ASSEMBLE_WITH, BATCH_STRATEGIES, COMPRESSION_TYPES, DATA_TYPES, DEFAULTS, ERROR_POLICY_MODES, JOIN_SOURCES, SPLIT_TYPES } from '@sluice/engine/params';

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
      { path: 'transform.contentType', label: 'Content type', kind: 'text', placeholder: 'none sent', hint: 'Sent as the Content-Type of each invocation.' },
      { path: 'transform.compressionType', label: 'Compression', kind: 'select', options: COMPRESSION_TYPES, placeholder: 'None' },
      { path: 'transform.splitType', label: 'Split type', kind: 'select', options: SPLIT_TYPES, placeholder: 'None' },
    ],
  },
  {
    id: 'output',
    legend: 'Output data',
    fields: [
      { path: 'output.uri', label: 'Output path', kind: 'text', required: true, placeholder: 's3://bucket/prefix/ or file:///data/out/' },
      { path: 'transform.accept', label: 'Accept', kind: 'text', placeholder: 'none sent', hint: 'Sent as the Accept header of each invocation.' },
      { path: 'transform.assembleWith', label: 'Assemble with', kind: 'select', options: ASSEMBLE_WITH, placeholder: 'None' },
      { path: 'transform.kmsKeyId', label: 'KMS key ID', kind: 'text', placeholder: 'none', hint: 'SSE-KMS for the outputs.' },
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
    fields: [
      { path: 'transform.batchStrategy', label: 'Batch strategy', kind: 'select', options: BATCH_STRATEGIES, placeholder: DEFAULTS.batchStrategy, hint: 'Needs a split type other than None.' },
      { path: 'transform.maxPayloadInMB', label: 'Max payload (MB)', kind: 'number', placeholder: String(DEFAULTS.maxPayloadInMB), hint: '0 to 100; × max concurrent transforms ≤ 100.' },
      { path: 'transform.maxConcurrentTransforms', label: 'Max concurrent transforms', kind: 'number', placeholder: 'ask the model, else 1' },
      { path: 'transform.modelClientConfig.invocationsTimeoutInSeconds', label: 'Invocation timeout (s)', kind: 'number', placeholder: String(DEFAULTS.invocationsTimeoutInSeconds), hint: '1 to 3600.' },
      { path: 'transform.modelClientConfig.invocationsMaxRetries', label: 'Invocation max retries', kind: 'number', placeholder: String(DEFAULTS.invocationsMaxRetries), hint: '0 to 3.' },
    ],
  },
  {
    id: 'data-processing',
    legend: 'Data processing',
    fields: [
      { path: 'transform.dataProcessing.inputFilter', label: 'Input filter', kind: 'text', placeholder: '$', hint: 'JSONPath, at most 63 characters.' },
      { path: 'transform.dataProcessing.outputFilter', label: 'Output filter', kind: 'text', placeholder: '$', hint: 'JSONPath, at most 63 characters.' },
      { path: 'transform.dataProcessing.joinSource', label: 'Join source', kind: 'select', options: JOIN_SOURCES, placeholder: 'None' },
    ],
  },
  {
    id: 'sluice',
    legend: 'Sluice options',
    fields: [
      { path: 'transform.errorPolicy.mode', label: 'Error policy', kind: 'select', options: ERROR_POLICY_MODES, placeholder: 'fail-object', hint: 'With placeholder, a failed record is written as the placeholder and the object goes on.' },
      { path: 'transform.errorPolicy.placeholder', label: 'Placeholder', kind: 'text', placeholder: DEFAULTS.placeholder },
      { path: 'transform.errorPolicy.maxRecordErrorRate', label: 'Max record error rate', kind: 'number', step: 'any', placeholder: String(DEFAULTS.maxRecordErrorRate), hint: '0 to 1: the share of failed records an object may have.' },
      { path: 'shardSizeMB', label: 'Shard size (MB)', kind: 'number', placeholder: '256', hint: 'Line objects larger than this run as parallel shards.' },
    ],
  },
];

export const ALL_FIELDS: FieldSpec[] = FIELD_GROUPS.flatMap((g) => g.fields);
const NUMERIC = new Set(ALL_FIELDS.filter((f) => f.kind === 'number').map((f) => f.path));

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
    const value = NUMERIC.has(field.path) && raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
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
  const source = { ...job, name: `${job.name}-copy`.slice(0, 63), shardSizeMB: job.shardSizeMB ?? undefined } as unknown as Record<string, unknown>;
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

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
}

function getPath(source: Record<string, unknown>, path: string): unknown {
  let node: unknown = source;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}
