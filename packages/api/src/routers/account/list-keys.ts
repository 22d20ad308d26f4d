import { listAccessKeys } from '@sluice/core';
import { procedure } from '../../trpc.js';

/** The caller's access keys for the SageMaker-compatible API in the current team (ids and dates only). */
export const listKeysRoute = procedure.query(({ ctx }) => listAccessKeys(ctx.core, ctx.actor));
