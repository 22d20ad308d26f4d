import type { TAccessKeyRef } from '@sluice/contracts';
import { revokeAccessKey } from '@sluice/core';
import { procedure, typedInput } from '../../trpc.js';

/** Revokes one of the caller's access keys; requests signed with it are refused from then on. */
export const revokeKeyRoute = procedure
  .input(typedInput<TAccessKeyRef>())
  .mutation(({ ctx, input }) => revokeAccessKey(ctx.core, ctx.actor, input));
