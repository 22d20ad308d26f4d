import { listModels } from '@sluice/core';
import { procedure } from '../../trpc.js';

export const listModelsRoute = procedure.query(({ ctx }) => listModels(ctx.core, ctx.actor));
