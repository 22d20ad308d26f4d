import { createJob } from '@sluice/core';
import type { TCreateJob } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** Stores the job InProgress and queues its planning; the same clientToken returns the first job. */
export const createJobRoute = procedure
  .input(typedInput<TCreateJob>())
  .mutation(({ ctx, input }) => createJob(ctx.core, ctx.actor, input));
