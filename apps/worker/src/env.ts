import { z } from 'zod';

/** Everything a worker process reads from its environment, parsed once at start-up. */
export const ZWorkerEnvSchema = z.object({
  /** Postgres holding the job service's tables and the queues; unset: the embedded server of SLUICE_HOME. */
  DATABASE_URL: z.string().trim().optional(),
  /** Where the embedded server keeps its data; default `./.sluice`. */
  SLUICE_HOME: z.string().trim().optional(),
  /** The pools (InstanceType names) this worker serves, comma-separated. */
  SLUICE_POOLS: z
    .string()
    .default('default')
    .transform((list) => list.split(',').map((pool) => pool.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'pool names are letters, digits, dots, hyphens or underscores')).min(1, 'name at least one pool')),
  /** Tasks this worker runs at once, across its pools. */
  SLUICE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
});

export type WorkerEnv = z.infer<typeof ZWorkerEnvSchema>;

/** The parsed environment, or an error listing every bad variable. */
export function parseWorkerEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const result = ZWorkerEnvSchema.safeParse(env);
  if (result.success) return result.data;
  throw new Error(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
}
