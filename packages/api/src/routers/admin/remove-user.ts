import type { TMemberRef } from '@sluice/contracts';
import { removeMember } from '@sluice/core';
import { adminProcedure, typedInput } from '../../trpc.js';

/** Takes a member out of the team (their sessions and tokens for it stop working at once). */
export const removeUserRoute = adminProcedure
  .input(typedInput<TMemberRef>())
  .mutation(({ ctx, input }) => removeMember(ctx.core, ctx.actor, input));
