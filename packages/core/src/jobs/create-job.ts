import { and, eq } from 'drizzle-orm';
import { AppError, ZCreateJobSchema, type JobView, type TCreateJob } from '@sluice/contracts';
import { livePools, models, transformJobs } from '@sluice/db';
import { checkDataProcessing, resolveTransformParams } from '@sluice/engine';
import { issueAtPath } from '@sluice/params';
import { locationIssue } from '../auth/allowed-locations.js';
import { audit } from '../auth/audit.js';
import type { Actor, Core } from '../context.js';
import { parseInput, validationError } from '../parse-input.js';
import { isUniqueViolation } from '../pg-errors.js';
import { toJobView } from './job-view.js';

/**
 * A job for a pool nobody serves would wait for ever: the pool must be one of SLUICE_JOB_POOLS
 * (pools that may be empty for a while, e.g. scaled to zero) or served by a live worker.
 */
async function unservedPoolIssue(core: Core, pool: string, path: string): Promise<{ path: string; message: string } | undefined> {
  const configured = core.settings.auth.jobPools;
  if (configured.includes(pool)) return undefined;
  const served = await livePools(core.db);
  if (served.includes(pool)) return undefined;
  const known = [...new Set([...configured, ...served])].sort();
  return {
    path,
    message: `no worker serves the pool '${pool}', and it is not one of SLUICE_JOB_POOLS: use one of ${known.map((p) => `'${p}'`).join(', ')}, start a worker for it (sluice worker --pool ${pool}), or have the operator add it to SLUICE_JOB_POOLS`,
  };
}


/** Pool names become queue names: keep them to characters every queue and URL accepts. */
const POOL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

/**
 * Validates a transform job with SageMaker's limits and rules, stores it InProgress and asks a
 * worker to plan it. With a client token, asking twice returns the first job.
 */
export async function createJob(core: Core, actor: Actor, input: unknown, options: { clonedFrom?: string } = {}): Promise<JobView> {
  // SageMaker's limits and rules are checked once, by the schema; DataProcessing (JSONPath, media
  // types) by the engine that will run it.
  const job = parseInput(ZCreateJobSchema, input);
  const dataProcessing = checkDataProcessing(resolveTransformParams(job.transform)).map(issueAtPath);
  if (dataProcessing.length > 0) {
    throw validationError(dataProcessing.map((i) => ({ path: `transform.${i.path}`, message: i.message })));
  }
  // file:// locations only under SLUICE_FILE_ROOTS (#7): a user must not read or write the server's disk elsewhere.
  // The capture destination is written like an output, so it is held to the same roots.
  const outside = [
    locationIssue(core.settings.auth, job.input.uri, 'input.uri', actor.team),
    locationIssue(core.settings.auth, job.output.uri, 'output.uri', actor.team),
    locationIssue(core.settings.auth, job.transform.dataCaptureConfig?.destinationS3Uri, 'transform.dataCaptureConfig.destinationS3Uri', actor.team),
  ].filter((i) => i !== undefined);
  if (outside.length > 0) throw validationError(outside);
  const pool = job.pool ?? job.instanceType;
  if (!POOL_NAME.test(pool)) {
    throw validationError([{ path: job.pool ? 'pool' : 'instanceType', message: 'must be letters, digits, dots, hyphens or underscores (it names the pool of workers that runs the job)' }]);
  }
  if (job.clientToken) {
    const existing = await findByClientToken(core, actor, job.clientToken);
    if (existing) return existing;
  }
  const [model] = await core.db.select().from(models).where(and(eq(models.team, actor.team), eq(models.name, job.modelName)));
  if (!model) {
    throw new AppError('VALIDATION', `Could not find model '${job.modelName}': register it first (sluice models create)`, [{ path: 'modelName', message: `no model named '${job.modelName}'` }]);
  }
  // The model's secrets are its owner's: a job may not replace them (nor read them by doing so).
  const secrets = new Set(Object.keys(model.secretEnv ?? {}));
  const overriding = Object.keys(job.environment ?? {}).filter((name) => secrets.has(name));
  if (overriding.length > 0) {
    throw validationError(overriding.map((name) => ({ path: `environment.${name}`, message: `is a secret env variable of model '${model.name}' and cannot be set by a job` })));
  }
  const poolIssue = await unservedPoolIssue(core, pool, job.pool ? 'pool' : 'instanceType');
  if (poolIssue) throw validationError([poolIssue]);

  let row;
  try {
    [row] = await core.db
      .insert(transformJobs)
      .values({
        team: actor.team,
        name: job.name,
        arn: `arn:aws:sagemaker:${core.settings.region}:${core.settings.account}:transform-job/${job.name.toLowerCase()}`,
        modelId: model.id,
        modelName: model.name,
        status: 'InProgress',
        dataType: job.input.dataType,
        inputUri: job.input.uri,
        outputUri: job.output.uri,
        request: job.transform,
        instanceCount: job.instanceCount,
        instanceType: job.instanceType,
        pool,
        environment: job.environment,
        tags: job.tags,
        extra: job.extra ?? {},
        options: job.shardSizeMB ? { shardSizeMB: job.shardSizeMB } : {},
        clientToken: job.clientToken ?? null,
        clonedFrom: options.clonedFrom ?? null,
        createdBy: actor.user,
      })
      .returning();
  } catch (error) {
    if (isUniqueViolation(error, 'transform_jobs_team_client_token') && job.clientToken) {
      const existing = await findByClientToken(core, actor, job.clientToken);
      if (existing) return existing;
    }
    if (isUniqueViolation(error)) throw new AppError('ALREADY_EXISTS', `a transform job named '${job.name}' already exists; job names are unique: choose another`);
    throw error;
  }
  await core.queue.ensurePool(pool);
  await core.queue.sendPlan(row!.id);
  await audit(core, actor, 'job.create', job.name, { model: model.name, ...(options.clonedFrom ? { clonedFrom: options.clonedFrom } : {}) });
  return toJobView(row!);
}

async function findByClientToken(core: Core, actor: Actor, clientToken: string): Promise<JobView | undefined> {
  const [row] = await core.db.select().from(transformJobs).where(and(eq(transformJobs.team, actor.team), eq(transformJobs.clientToken, clientToken)));
  return row ? toJobView(row) : undefined;
}

/** The create request that would make this job again (for Clone). */
export function jobAsRequest(row: typeof transformJobs.$inferSelect): TCreateJob {
  return {
    name: row.name,
    modelName: row.modelName,
    input: { uri: row.inputUri, dataType: row.dataType as 'S3Prefix' | 'ManifestFile' },
    output: { uri: row.outputUri },
    transform: row.request,
    instanceCount: row.instanceCount,
    instanceType: row.instanceType,
    ...(row.pool !== row.instanceType ? { pool: row.pool } : {}),
    environment: row.environment,
    tags: row.tags,
    ...(row.options.shardSizeMB !== undefined ? { shardSizeMB: row.options.shardSizeMB } : {}),
    ...(Object.keys(row.extra).length > 0 ? { extra: row.extra } : {}),
  };
}
