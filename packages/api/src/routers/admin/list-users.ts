import { listTeamMembers } from '@sluice/core';
import { adminProcedure } from '../../trpc.js';

/** The team's members with their roles (team admins only). */
export const listUsersRoute = adminProcedure.query(({ ctx }) => listTeamMembers(ctx.core, ctx.actor));
