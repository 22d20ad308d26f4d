import type { TApiTokenRef } from '@sluice/contracts';
import { revokeApiToken } from '@sluice/core';
import { procedure, typedInput } from '../../trpc.js';

/** Revokes one of the caller's tokens; requests with it are refused from then on. */
export const revokeTokenRoute = procedure
  .input(typedInput<TApiTokenRef>())
  .mutation(({ ctx, input }) => revokeApiToken(ctx.core, ctx.actor, input));
