import type { TAddMember } from '@sluice/contracts';
import { addTeamMember } from '@sluice/core';
import { adminProcedure, typedInput } from '../../trpc.js';

/**
 * Adds a user to the admin's team: a new user (with a password, or none to sign in through OIDC),
 * or an existing one, who keeps their password.
 */
export const createUserRoute = adminProcedure
  .input(typedInput<TAddMember>())
  .mutation(({ ctx, input }) => addTeamMember(ctx.core, ctx.actor, input));
