import type { z } from 'zod';
import { getModel } from '@sluice/core';
import type { ZModelRefSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** The model and the jobs that used it, newest first. */
export const getModelRoute = procedure
  .input(typedInput<z.input<typeof ZModelRefSchema>>())
  .query(({ ctx, input }) => getModel(ctx.core, ctx.actor, input));
