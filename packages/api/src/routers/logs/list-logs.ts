import type { z } from 'zod';
import { listLogs } from '@sluice/core';
import type { ZListLogsSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** A job's log after a cursor (`after`): how `sluice jobs logs --follow` tails a running job. */
export const listLogsRoute = procedure
  .input(typedInput<z.input<typeof ZListLogsSchema>>())
  .query(({ ctx, input }) => listLogs(ctx.core, ctx.actor, input));
