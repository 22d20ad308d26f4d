import { listComparisons } from '@sluice/core';
import type { TListComparisons } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** A page of the team's comparisons, newest first, without their figures; pass `nextCursor` back as `cursor`. */
export const listComparisonsRoute = procedure
  .input(typedInput<TListComparisons | undefined>())
  .query(({ ctx, input }) => listComparisons(ctx.core, ctx.actor, input));
