import type { z } from 'zod';
import { stopJob } from '@sluice/core';
import type { ZJobRefSchema } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

/** InProgress → Stopping; the job ends Stopped once its running tasks have aborted. */
export const stopJobRoute = writeProcedure
  .input(typedInput<z.input<typeof ZJobRefSchema>>())
  .mutation(({ ctx, input }) => stopJob(ctx.core, ctx.actor, input));
