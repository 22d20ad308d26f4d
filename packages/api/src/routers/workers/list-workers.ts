import { listWorkers } from '@sluice/core';
import { procedure } from '../../trpc.js';

/** Workers that have not stopped, newest heartbeat first, with what each is running. */
export const listWorkersRoute = procedure.query(({ ctx }) => listWorkers(ctx.core, ctx.actor));
