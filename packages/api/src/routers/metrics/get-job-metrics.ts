import type { z } from 'zod';
import { getJobMetrics } from '@sluice/core';
import type { ZJobMetricsSchema } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** Throughput and latency over time, all workers summed, with overall percentiles. */
export const getJobMetricsRoute = procedure
  .input(typedInput<z.input<typeof ZJobMetricsSchema>>())
  .query(({ ctx, input }) => getJobMetrics(ctx.core, ctx.actor, input));
