import { cloneJob } from '@sluice/core';
import type { TCloneJob } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

/** A new job with the same parameters (and any overrides). */
export const cloneJobRoute = writeProcedure
  .input(typedInput<TCloneJob>())
  .mutation(({ ctx, input }) => cloneJob(ctx.core, ctx.actor, input));
