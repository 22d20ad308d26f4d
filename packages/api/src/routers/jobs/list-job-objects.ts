import type { z } from 'zod';
import { listJobObjects } from '@sluice/core';
import type { ZJobRefSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** The job's input objects with each one's status, counts, output and error. */
export const listJobObjectsRoute = procedure
  .input(typedInput<z.input<typeof ZJobRefSchema>>())
  .query(({ ctx, input }) => listJobObjects(ctx.core, ctx.actor, input));
