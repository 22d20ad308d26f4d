import { and, desc, eq, inArray } from 'drizzle-orm';
import { AppError, ZCreateModelSchema, ZModelRefSchema, type ModelView } from '@sluice/contracts';
import { models, transformJobs, type ModelRow } from '@sluice/db';
import { locationIssue, modelUrlIssue } from '../auth/allowed-locations.js';
import { audit } from '../auth/audit.js';
import type { Actor, Core } from '../context.js';
import { parseInput, validationError } from '../parse-input.js';
import { isUniqueViolation } from '../pg-errors.js';
import { toModelView } from './model-view.js';
import { sealSecretEnv } from './secret-env.js';

export async function createModel(core: Core, actor: Actor, input: unknown): Promise<ModelView> {
  const model = parseInput(ZCreateModelSchema, input);
  // Where the model's server and artifact are must be places this service may use (#7).
  const issues = [modelUrlIssue(core.settings.auth, model.url, 'url'), locationIssue(core.settings.auth, model.artifactUri, 'artifactUri', actor.team)].filter((i) => i !== undefined);
  if (issues.length > 0) throw validationError(issues);
  const secretEnv = sealSecretEnv(core, model.secretEnv);
  let created: ModelView;
  try {
    const [row] = await core.db
      .insert(models)
      .values({
        team: actor.team,
        name: model.name,
        kind: model.kind,
        url: model.url ?? null,
        command: model.command ?? null,
        handler: model.handler ?? null,
        artifactUri: model.artifactUri ?? null,
        port: model.port ?? null,
        env: model.env,
        secretEnv,
        startupTimeoutSeconds: model.startupTimeoutSeconds,
        description: model.description ?? null,
        createdBy: actor.user,
      })
      .returning();
    created = toModelView(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_EXISTS', `a model named '${model.name}' already exists; choose another name or delete it first`);
    throw error;
  }
  await audit(core, actor, 'model.create', model.name, { kind: model.kind });
  return created;
}

/** The model row, or NOT_FOUND naming it. */
export async function findModel(core: Core, actor: Actor, name: string): Promise<ModelRow> {
  const [row] = await core.db.select().from(models).where(and(eq(models.team, actor.team), eq(models.name, name)));
  if (!row) throw new AppError('NOT_FOUND', `no model named '${name}'`);
  return row;
}

export async function getModel(core: Core, actor: Actor, input: unknown): Promise<ModelView> {
  const { name } = parseInput(ZModelRefSchema, input);
  const row = await findModel(core, actor, name);
  const jobs = await core.db
    .select({ name: transformJobs.name, status: transformJobs.status, creationTime: transformJobs.creationTime })
    .from(transformJobs)
    .where(and(eq(transformJobs.team, actor.team), eq(transformJobs.modelId, row.id)))
    .orderBy(desc(transformJobs.creationTime))
    .limit(20);
  return { ...toModelView(row), jobs };
}

export async function listModels(core: Core, actor: Actor): Promise<ModelView[]> {
  const rows = await core.db.select().from(models).where(eq(models.team, actor.team)).orderBy(models.name);
  return rows.map(toModelView);
}

/** Deletes a model no running job uses; jobs that finished keep its name in their history. */
export async function deleteModel(core: Core, actor: Actor, input: unknown): Promise<void> {
  const { name } = parseInput(ZModelRefSchema, input);
  const row = await findModel(core, actor, name);
  const running = await core.db
    .select({ name: transformJobs.name })
    .from(transformJobs)
    .where(and(eq(transformJobs.modelId, row.id), inArray(transformJobs.status, ['InProgress', 'Stopping'])))
    .limit(10);
  if (running.length > 0) {
    throw new AppError('CONFLICT', `model '${name}' is used by running job${running.length > 1 ? 's' : ''} ${running.map((j) => `'${j.name}'`).join(', ')}; stop ${running.length > 1 ? 'them' : 'it'} or wait for ${running.length > 1 ? 'them' : 'it'} to end first`);
  }
  await core.db.delete(models).where(eq(models.id, row.id));
  await audit(core, actor, 'model.delete', name);
}
