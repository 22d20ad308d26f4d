import { and, eq } from 'drizzle-orm';
import { AppError } from '@sluice/contracts';
import { transformJobs, type TransformJobRow } from '@sluice/db';
import type { Actor, Core } from '../context.js';

/** The job row, or NOT_FOUND naming it. */
export async function findJob(core: Core, actor: Actor, name: string): Promise<TransformJobRow> {
  const [row] = await core.db.select().from(transformJobs).where(and(eq(transformJobs.team, actor.team), eq(transformJobs.name, name)));
  if (!row) throw new AppError('NOT_FOUND', `no transform job named '${name}'`);
  return row;
}
