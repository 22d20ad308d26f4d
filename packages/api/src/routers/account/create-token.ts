import type { TCreateApiToken } from '@sluice/contracts';
import { createApiToken } from '@sluice/core';
import { procedure, typedInput } from '../../trpc.js';

/**
 * A personal token for the SDK and CLI (SLUICE_TOKEN), acting as the caller in the current team
 * with their role there. `token` is in this answer only: it is stored as its SHA-256.
 */
export const createTokenRoute = procedure
  .input(typedInput<TCreateApiToken | undefined>())
  .mutation(({ ctx, input }) => createApiToken(ctx.core, ctx.actor, input));
