import type { z } from 'zod';
import { previewInput } from '@sluice/core';
import type { ZPreviewInputSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

export const previewInputRoute = procedure
  .input(typedInput<z.input<typeof ZPreviewInputSchema>>())
  .query(({ ctx, input }) => previewInput(ctx.core, ctx.actor, input));
