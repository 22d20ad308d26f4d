import { createAccountAccessKey } from '@sluice/core';
import { procedure } from '../../trpc.js';

/** An access key pair for the SageMaker-compatible API (SigV4) acting as the caller; the secret is shown once. */
export const createKeyRoute = procedure.mutation(({ ctx }) => createAccountAccessKey(ctx.core, ctx.actor));
