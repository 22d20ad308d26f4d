import type { z } from 'zod';
import { describeJob } from '@sluice/core';
import type { ZJobRefSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

export const describeJobRoute = procedure
  .input(typedInput<z.input<typeof ZJobRefSchema>>())
  .query(({ ctx, input }) => describeJob(ctx.core, ctx.actor, input));
