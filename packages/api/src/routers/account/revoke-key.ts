import type { z } from 'zod';
import { revokeAccessKey, type ZAccessKeyRefSchema } from '@sluice/core';
import { procedure, typedInput } from '../../trpc.js';

/** Revokes one of the caller's access keys; requests signed with it are refused from then on. */
export const revokeKeyRoute = procedure
  .input(typedInput<z.input<typeof ZAccessKeyRefSchema>>())
  .mutation(({ ctx, input }) => revokeAccessKey(ctx.core, ctx.actor, input));
