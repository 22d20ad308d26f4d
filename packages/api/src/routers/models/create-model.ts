import { createModel } from '@sluice/core';
import type { TCreateModel } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

export const createModelRoute = procedure
  .input(typedInput<TCreateModel>())
  .mutation(({ ctx, input }) => createModel(ctx.core, ctx.actor, input));
