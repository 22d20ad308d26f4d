import type { z } from 'zod';
import { deleteModel } from '@sluice/core';
import type { ZModelRefSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** Refused (CONFLICT, naming the jobs) while a running job uses the model. */
export const deleteModelRoute = procedure
  .input(typedInput<z.input<typeof ZModelRefSchema>>())
  .mutation(({ ctx, input }) => deleteModel(ctx.core, ctx.actor, input));
