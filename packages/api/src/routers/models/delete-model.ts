import type { z } from 'zod';
import { deleteModel } from '@sluice/core';
import type { ZModelRefSchema } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

/** Refused (CONFLICT, naming the jobs) while a running job uses the model. */
export const deleteModelRoute = writeProcedure
  .input(typedInput<z.input<typeof ZModelRefSchema>>())
  .mutation(({ ctx, input }) => deleteModel(ctx.core, ctx.actor, input));
