import { createModel } from '@sluice/core';
import type { TCreateModel } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

export const createModelRoute = writeProcedure
  .input(typedInput<TCreateModel>())
  .mutation(({ ctx, input }) => createModel(ctx.core, ctx.actor, input));
