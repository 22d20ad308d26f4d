/**
 * For each procedure, which command-line flag sets each request field, so that the service's
 * validation errors name what to change on the command line. A field missing here is shown by
 * its path. Transform parameters (`transform.*`) come from @sluice/params' table of fields.
 */
import { TRANSFORM_FIELDS } from '@sluice/params';

const TRANSFORM_FLAGS = Object.fromEntries(TRANSFORM_FIELDS.map((field) => [`transform.${field.path}`, field.flag]));

const JOB_FLAGS: Record<string, string> = {
  name: '--name',
  modelName: '--model',
  'input.uri': '--input',
  'input.dataType': '--data-type',
  'output.uri': '--output',
  instanceCount: '--instance-count',
  instanceType: '--instance-type',
  environment: '--env',
  tags: '--tag',
  clientToken: '--client-token',
  shardSizeMB: '--shard-size',
  ...TRANSFORM_FLAGS,
};

export const FLAGS_FOR_PROCEDURE: Record<string, Record<string, string>> = {
  'models.create': {
    name: '--name',
    url: '--url',
    command: '--command',
    artifactUri: '--artifact',
    port: '--port',
    env: '--env',
    secretEnv: '--secret-env',
    startupTimeoutSeconds: '--startup-timeout',
    description: '--description',
  },
  'jobs.create': JOB_FLAGS,
  'jobs.clone': { newName: '--name' },
  'jobs.list': { status: '--status', nameContains: '--name-contains', modelName: '--model', limit: '--limit' },
  'logs.list': { level: '--level', search: '--search' },
  'comparisons.create': {
    name: '--name',
    jobs: '--jobs',
    'variants.models': '--models',
    'variants.input.uri': '--input',
    'variants.output.uri': '--output',
    'variants.instanceCount': '--instance-count',
    'variants.instanceType': '--instance-type',
    ...Object.fromEntries(Object.entries(TRANSFORM_FLAGS).map(([field, flag]) => [`variants.${field}`, flag])),
    groundTruth: '--ground-truth',
    labelPath: '--label-path',
    maxDisagreements: '--max-disagreements',
  },
};

/** The flag for an issue's field path: the longest mapped path that is it or contains it. */
export function flagForField(procedure: string | undefined, path: string): string | undefined {
  const flags = FLAGS_FOR_PROCEDURE[procedure ?? ''] ?? {};
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const flag = flags[parts.join('.')];
    if (flag) return flag;
  }
  return undefined;
}
