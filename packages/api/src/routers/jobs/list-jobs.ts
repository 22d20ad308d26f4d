import { listJobs } from '@sluice/core';
import type { TListJobs } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** A page of jobs; pass `nextCursor` back as `cursor` for the next. */
export const listJobsRoute = procedure
  .input(typedInput<TListJobs | undefined>())
  .query(({ ctx, input }) => listJobs(ctx.core, ctx.actor, input));
