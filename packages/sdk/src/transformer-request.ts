/**
 * The Transformer's options (the SageMaker Python SDK's arguments, camelCased) to and from the
 * service's job request. Which option sets which transform parameter is @sluice/params' table of
 * fields (`sdk`); the job's own settings are mapped here.
 */
import type { JobView, TCreateJob } from '@sluice/contracts';
import { dropUndefined, getPath, setPath, TRANSFORM_FIELDS } from '@sluice/params';
import type { SluiceIssue } from './errors.js';

type Transform = NonNullable<TCreateJob['transform']>;

/** SageMaker's `[{ Key, Value }]`, Sluice's `[{ key, value }]`, or a plain object. */
export type TagsOption = Array<{ Key: string; Value: string } | { key: string; value: string }> | Record<string, string>;

/** The Transformer constructor's job settings (Python: Transformer.__init__). */
export interface TransformerSettings {
  modelName: string;
  /** Workers that may run the job's tasks at once. Default 1. */
  instanceCount?: number;
  /** The pool of workers that runs the job ('default' unless you run pools). */
  instanceType?: string;
  /** 'MultiRecord' (as many records per request as fit maxPayload) or 'SingleRecord'. */
  strategy?: Transform['batchStrategy'];
  /** 'Line' puts each output record on its own line; 'None' concatenates them. */
  assembleWith?: Transform['assembleWith'];
  /** Where the outputs go: `s3://bucket/prefix` or `file:///dir`. Required (Sluice has no default bucket). */
  outputPath?: string;
  /** Kept with the job and handed to the object store (SageMaker: TransformOutput.KmsKeyId). */
  outputKmsKey?: string;
  /** The Accept header sent to the model. */
  accept?: string;
  /** Requests in flight to each model instance. */
  maxConcurrentTransforms?: number;
  /** The most megabytes in one request to the model. */
  maxPayload?: number;
  tags?: TagsOption;
  /** Environment variables for the model. */
  env?: Record<string, string>;
  /** The prefix of generated job names; default the model's name. */
  baseTransformJobName?: string;
}

/** transform()'s input settings (Python: Transformer.transform). */
export interface TransformInput {
  /** The input: `s3://bucket/prefix` or `file:///dir` (a prefix), or a manifest file. */
  data: string;
  /** What `data` names. Default 'S3Prefix'. */
  dataType?: 'S3Prefix' | 'ManifestFile';
  contentType?: string;
  compressionType?: Transform['compressionType'];
  splitType?: Transform['splitType'];
  /** Default: `<baseTransformJobName or modelName>-<timestamp>`. */
  jobName?: string;
  /** A JSONPath choosing what of each record goes to the model, e.g. `$[1:]`. */
  inputFilter?: string;
  /** A JSONPath choosing what of the (joined) output is written, e.g. `$[0,-1]`. */
  outputFilter?: string;
  /** 'Input' joins each input record to its inference. */
  joinSource?: 'Input' | 'None';
  modelClientConfig?: { invocationsTimeoutInSeconds?: number; invocationsMaxRetries?: number };
  /**
   * Data capture for model monitoring (Python: `batch_data_capture_config=BatchDataCaptureConfig(...)`):
   * manifests of the inputs and outputs under `destinationS3Uri`, and with `generateInferenceId`
   * an inference id and time appended to every output record.
   */
  batchDataCaptureConfig?: { destinationS3Uri: string; kmsKeyId?: string; generateInferenceId?: boolean };
}

/** The job request for one transform() call. */
export function toCreateJob(settings: TransformerSettings, input: TransformInput, jobName: string): TCreateJob {
  const transform: Record<string, unknown> = {};
  for (const { path, sdk } of TRANSFORM_FIELDS) {
    const value = sdk && getPath(sdk.on === 'settings' ? settings : input, sdk.option);
    if (value !== undefined) setPath(transform, path, value);
  }
  return dropUndefined({
    name: jobName,
    modelName: settings.modelName,
    input: dropUndefined({ uri: input.data, dataType: input.dataType }),
    // An empty URI lets the service name the field in its validation error (mapped to `outputPath`).
    output: { uri: settings.outputPath ?? '' },
    // The service checks the values: its issues come back named by these options (optionForField).
    transform: transform as TCreateJob['transform'],
    instanceCount: settings.instanceCount,
    instanceType: settings.instanceType,
    environment: settings.env,
    tags: settings.tags === undefined ? undefined : normalizeTags(settings.tags),
  });
}

/** The constructor settings of the Transformer that started `job` (Python: _prepare_init_params_from_job_description). */
export function settingsFromJob(job: JobView): TransformerSettings {
  const settings: TransformerSettings = dropUndefined({
    modelName: job.modelName,
    instanceCount: job.instanceCount,
    instanceType: job.instanceType,
    outputPath: job.output.uri,
    tags: job.tags,
    env: Object.keys(job.environment).length > 0 ? job.environment : undefined,
  });
  for (const { path, sdk } of TRANSFORM_FIELDS) {
    const value = sdk?.on === 'settings' ? getPath(job.transform, path) : undefined;
    if (sdk && value !== undefined) setPath(settings, sdk.option, value);
  }
  return settings;
}

/** Every form of tags the Transformer takes, as the service's `[{ key, value }]`. */
export function normalizeTags(tags: TagsOption): Array<{ key: string; value: string }> {
  if (!Array.isArray(tags)) return Object.entries(tags).map(([key, value]) => ({ key, value }));
  return tags.map((tag) => ('Key' in tag ? { key: tag.Key, value: tag.Value } : { key: tag.key, value: tag.value }));
}

/** The request field each Transformer option sets: the job's settings here, the transform parameters from the table. */
const OPTION_FOR_FIELD: Record<string, string> = {
  name: 'jobName',
  modelName: 'modelName',
  'input.uri': 'data',
  'input.dataType': 'dataType',
  'output.uri': 'outputPath',
  instanceCount: 'instanceCount',
  instanceType: 'instanceType',
  environment: 'env',
  tags: 'tags',
  ...Object.fromEntries(TRANSFORM_FIELDS.flatMap(({ path, sdk }) => (sdk ? [[`transform.${path}`, sdk.option]] : []))),
};

/** The Transformer option behind a request field the service complained about, where there is one. */
export function optionForField(path: string): string | undefined {
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const option = OPTION_FOR_FIELD[parts.join('.')];
    if (option) return option;
  }
  return undefined;
}

/** The service's issues with the option that sets each field, and a message in the options' words. */
export function issuesInOptionTerms(issues: SluiceIssue[]): { issues: SluiceIssue[]; message: string } {
  const named = issues.map((issue) => {
    const option = optionForField(issue.path);
    return option ? { ...issue, option } : issue;
  });
  const message = `the transform job request is not valid: ${named.map((i) => `${i.option ?? i.path}: ${i.message}`).join('; ')}`;
  return { issues: named, message };
}
