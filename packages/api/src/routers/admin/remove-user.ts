import type { z } from 'zod';
import { removeMember, type ZMemberRefSchema } from '@sluice/core';
import { adminProcedure, typedInput } from '../../trpc.js';

/** Takes a member out of the team (their sessions and tokens for it stop working at once). */
export const removeUserRoute = adminProcedure
  .input(typedInput<z.input<typeof ZMemberRefSchema>>())
  .mutation(({ ctx, input }) => removeMember(ctx.core, ctx.actor, input));
