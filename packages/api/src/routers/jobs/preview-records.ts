import type { z } from 'zod';
import { previewRecords } from '@sluice/core';
import type { ZPreviewRecordsSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

export const previewRecordsRoute = procedure
  .input(typedInput<z.input<typeof ZPreviewRecordsSchema>>())
  .query(({ ctx, input }) => previewRecords(ctx.core, ctx.actor, input));
