import { createJob } from '@sluice/core';
import type { TCreateJob } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

/** Stores the job InProgress and queues its planning; the same clientToken returns the first job. */
export const createJobRoute = writeProcedure
  .input(typedInput<TCreateJob>())
  .mutation(({ ctx, input }) => createJob(ctx.core, ctx.actor, input));
