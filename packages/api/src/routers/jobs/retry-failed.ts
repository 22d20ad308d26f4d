import type { z } from 'zod';
import { retryFailed } from '@sluice/core';
import type { ZJobRefSchema } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

/** Runs the objects of a Failed or Stopped job that did not complete again, as a new run. */
export const retryFailedRoute = writeProcedure
  .input(typedInput<z.input<typeof ZJobRefSchema>>())
  .mutation(({ ctx, input }) => retryFailed(ctx.core, ctx.actor, input));
