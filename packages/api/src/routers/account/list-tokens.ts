import { listApiTokens } from '@sluice/core';
import { procedure } from '../../trpc.js';

/** The caller's API tokens in the current team (never the tokens themselves: prefix and dates). */
export const listTokensRoute = procedure.query(({ ctx }) => listApiTokens(ctx.core, ctx.actor));
