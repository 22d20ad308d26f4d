// SageMaker's PascalCase shapes ↔ the contracts' camelCase, one field to one field. Values are not
// checked here: the job service validates the camelCase request and names the bad fields, which
// `sageMakerField` turns back into SageMaker's names.
import type { JobView, ModelView, TCreateJob, TCreateModel, TListJobs } from '@sluice/contracts';
import { getPath, setPath, TRANSFORM_FIELDS } from '@sluice/params';
import { poolFor, type InstanceTypePools } from './instance-pools.js';

export type Json = Record<string, unknown>;

/** A nested member, or an empty object when absent (so a missing field is reported by name). */
export function member(parent: unknown, key: string): Json {
  const value = (parent as Json | undefined)?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** Drops undefined members (and objects left empty) so stored requests hold only what was sent. */
export function defined<T extends Json>(value: T): T {
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      const inner = defined(v as Json);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = v;
  }
  return out as T;
}

/** Epoch seconds, as the JSON protocol sends timestamps. */
export const epochSeconds = (date: Date | null | undefined) => (date ? date.getTime() / 1000 : undefined);
export const fromEpochSeconds = (value: unknown) => (typeof value === 'number' ? new Date(value * 1000) : value);

/** SageMaker's transform parameters: where CreateTransformJob carries each (Sluice's additions have no place there). */
const SAGEMAKER_PARAMETERS = TRANSFORM_FIELDS.flatMap(({ path, sageMaker }) => (sageMaker ? [{ path, sageMaker }] : []));

/** The contracts' field paths under their SageMaker names (longest prefix wins). */
const JOB_FIELD_NAMES: Record<string, string> = {
  name: 'TransformJobName',
  modelName: 'ModelName',
  input: 'TransformInput.DataSource.S3DataSource',
  'input.uri': 'TransformInput.DataSource.S3DataSource.S3Uri',
  'input.dataType': 'TransformInput.DataSource.S3DataSource.S3DataType',
  output: 'TransformOutput',
  'output.uri': 'TransformOutput.S3OutputPath',
  ...Object.fromEntries(SAGEMAKER_PARAMETERS.map(({ path, sageMaker }) => [`transform.${path}`, sageMaker])),
  instanceCount: 'TransformResources.InstanceCount',
  instanceType: 'TransformResources.InstanceType',
  pool: 'TransformResources.InstanceType',
  environment: 'Environment',
  tags: 'Tags',
  // Listing.
  status: 'StatusEquals',
  nameContains: 'NameContains',
  creationTimeAfter: 'CreationTimeAfter',
  creationTimeBefore: 'CreationTimeBefore',
  lastModifiedTimeAfter: 'LastModifiedTimeAfter',
  lastModifiedTimeBefore: 'LastModifiedTimeBefore',
  sortBy: 'SortBy',
  sortOrder: 'SortOrder',
  limit: 'MaxResults',
  cursor: 'NextToken',
  // Models.
  kind: 'PrimaryContainer.Image',
  url: 'PrimaryContainer.Image',
  command: 'PrimaryContainer.Image',
  artifactUri: 'PrimaryContainer.ModelDataUrl',
  env: 'PrimaryContainer.Environment',
};

/** `transform.modelClientConfig.invocationsMaxRetries` → `ModelClientConfig.InvocationsMaxRetries`. */
export function sageMakerField(path: string): string {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const known = JOB_FIELD_NAMES[parts.slice(0, n).join('.')];
    if (known) return [known, ...parts.slice(n)].join('.');
  }
  const rest = parts[0] === 'transform' ? parts.slice(1) : parts;
  return rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('.');
}

export function toCreateJob(request: Json, pools: InstanceTypePools): TCreateJob {
  const s3 = member(member(member(request, 'TransformInput'), 'DataSource'), 'S3DataSource');
  const output = member(request, 'TransformOutput');
  const resources = member(request, 'TransformResources');
  const transform: Json = {};
  for (const { path, sageMaker } of SAGEMAKER_PARAMETERS) setPath(transform, path, getPath(request, sageMaker));
  const tags = Array.isArray(request.Tags) ? (request.Tags as Json[]).map((tag) => ({ key: tag.Key, value: tag.Value })) : request.Tags;
  return defined({
    name: request.TransformJobName,
    modelName: request.ModelName,
    input: { uri: s3.S3Uri, dataType: s3.S3DataType },
    output: { uri: output.S3OutputPath },
    transform,
    instanceCount: resources.InstanceCount,
    instanceType: resources.InstanceType,
    pool: resources.InstanceType === undefined ? undefined : poolFor(pools, resources.InstanceType),
    environment: request.Environment,
    tags,
    extra: { ExperimentConfig: request.ExperimentConfig, VolumeKmsKeyId: resources.VolumeKmsKeyId },
  } as Json) as unknown as TCreateJob;
}

export function toDescribeTransformJobResponse(job: JobView): Json {
  const response: Json = {
    TransformJobName: job.name,
    TransformJobArn: job.arn,
    TransformJobStatus: job.status,
    FailureReason: job.failureReason ?? undefined,
    ModelName: job.modelName,
    Environment: job.environment,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: job.input.dataType, S3Uri: job.input.uri } } },
    TransformOutput: { S3OutputPath: job.output.uri },
    TransformResources: { InstanceType: job.instanceType, InstanceCount: job.instanceCount, VolumeKmsKeyId: job.extra.VolumeKmsKeyId },
    CreationTime: epochSeconds(job.creationTime),
    TransformStartTime: epochSeconds(job.transformStartTime),
    TransformEndTime: epochSeconds(job.transformEndTime),
    ExperimentConfig: job.extra.ExperimentConfig,
  };
  for (const { path, sageMaker } of SAGEMAKER_PARAMETERS) setPath(response, sageMaker, getPath(job.transform, path));
  const described = defined(response);
  // Jobs created before DataCaptureConfig was acted on kept it among the extras.
  return described.DataCaptureConfig === undefined && job.extra.DataCaptureConfig !== undefined ? { ...described, DataCaptureConfig: job.extra.DataCaptureConfig } : described;
}

export function toListJobs(request: Json): TListJobs {
  return defined({
    status: request.StatusEquals === undefined ? undefined : [request.StatusEquals],
    nameContains: request.NameContains,
    creationTimeAfter: fromEpochSeconds(request.CreationTimeAfter),
    creationTimeBefore: fromEpochSeconds(request.CreationTimeBefore),
    lastModifiedTimeAfter: fromEpochSeconds(request.LastModifiedTimeAfter),
    lastModifiedTimeBefore: fromEpochSeconds(request.LastModifiedTimeBefore),
    sortBy: request.SortBy,
    sortOrder: request.SortOrder,
    // SageMaker's default page is 10 (the job service's is 20).
    limit: request.MaxResults ?? 10,
    cursor: request.NextToken,
  } as Json) as TListJobs;
}

export function toTransformJobSummary(job: JobView): Json {
  return defined({
    TransformJobName: job.name,
    TransformJobArn: job.arn,
    CreationTime: epochSeconds(job.creationTime),
    TransformEndTime: epochSeconds(job.transformEndTime),
    LastModifiedTime: epochSeconds(job.lastModifiedTime),
    TransformJobStatus: job.status,
    FailureReason: job.failureReason ?? undefined,
  });
}

/** PrimaryContainer (or Containers[0]): an http(s) Image is a running server, any other a command. */
export function toCreateModel(request: Json): TCreateModel {
  const container = Array.isArray(request.Containers) && request.PrimaryContainer === undefined ? member(request.Containers, '0') : member(request, 'PrimaryContainer');
  const image = container.Image;
  const isUrl = typeof image === 'string' && /^https?:\/\//i.test(image);
  return defined({
    name: request.ModelName,
    kind: isUrl ? 'http' : 'command',
    url: isUrl ? image : undefined,
    command: isUrl ? undefined : image,
    artifactUri: container.ModelDataUrl,
    env: container.Environment,
  } as Json) as unknown as TCreateModel;
}

export function modelArn(model: { name: string }, settings: { region: string; account: string }): string {
  return `arn:aws:sagemaker:${settings.region}:${settings.account}:model/${model.name.toLowerCase()}`;
}

export function toDescribeModelResponse(model: ModelView, arn: string): Json {
  return defined({
    ModelName: model.name,
    PrimaryContainer: { Image: model.kind === 'http' ? model.url : model.command, ModelDataUrl: model.artifactUri ?? undefined, Environment: model.env },
    CreationTime: epochSeconds(model.createdAt),
    ModelArn: arn,
  });
}
