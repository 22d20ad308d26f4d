import { cloneJob } from '@sluice/core';
import type { TCloneJob } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** A new job with the same parameters (and any overrides). */
export const cloneJobRoute = procedure
  .input(typedInput<TCloneJob>())
  .mutation(({ ctx, input }) => cloneJob(ctx.core, ctx.actor, input));
