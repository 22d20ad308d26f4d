import type { TSetRole } from '@sluice/contracts';
import { setMemberRole } from '@sluice/core';
import { adminProcedure, typedInput } from '../../trpc.js';

/** Changes a member's role; refused when it would leave the team without an admin. */
export const setRoleRoute = adminProcedure
  .input(typedInput<TSetRole>())
  .mutation(({ ctx, input }) => setMemberRole(ctx.core, ctx.actor, input));
