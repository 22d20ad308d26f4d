import { accountOf } from '@sluice/core';
import { procedure } from '../../trpc.js';

/** Who is signed in: the user, the current team and role, and every team they may switch to. */
export const meRoute = procedure.query(({ ctx }) => accountOf(ctx.core, ctx.actor));
