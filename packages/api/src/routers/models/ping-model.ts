import type { z } from 'zod';
import { pingModel } from '@sluice/core';
import type { ZModelRefSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** One GET /ping to an HTTP model (2 s limit): ok, status or why not, and how long it took. */
export const pingModelRoute = procedure
  .input(typedInput<z.input<typeof ZModelRefSchema>>())
  .mutation(({ ctx, input }) => pingModel(ctx.core, ctx.actor, input));
