import type { TListAudit } from '@sluice/contracts';
import { listAudit } from '@sluice/core';
import { adminProcedure, typedInput } from '../../trpc.js';

/** The team's audit log, newest first; pass `nextCursor` back as `cursor`; filter by action or actor. */
export const listAuditRoute = adminProcedure
  .input(typedInput<TListAudit | undefined>())
  .query(({ ctx, input }) => listAudit(ctx.core, ctx.actor, input));
