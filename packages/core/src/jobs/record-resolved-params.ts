import { and, eq, isNull } from 'drizzle-orm';
import { transformJobs } from '@sluice/db';
import type { TransformParams } from '@sluice/params';
import type { Core } from '../context.js';

/**
 * Keeps the parameters the first worker decided with the model's /execution-parameters on the
 * job, so every other worker runs the same ones and describe can show them. The first one wins.
 */
export async function recordResolvedParams(core: Core, jobId: string, params: TransformParams): Promise<void> {
  await core.db
    .update(transformJobs)
    .set({ resolvedParams: params })
    .where(and(eq(transformJobs.id, jobId), isNull(transformJobs.resolvedParams)));
}
