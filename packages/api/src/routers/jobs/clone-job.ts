import type { z } from 'zod';
import { cloneJob, type ZCloneJobSchema } from '@sluice/core';
import { procedure, typedInput } from '../../trpc.js';

/** A new job with the same parameters (and any overrides). */
export const cloneJobRoute = procedure
  .input(typedInput<z.input<typeof ZCloneJobSchema>>())
  .mutation(({ ctx, input }) => cloneJob(ctx.core, ctx.actor, input));
