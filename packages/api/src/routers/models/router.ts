import { router } from '../../trpc.js';
import { createModelRoute } from './create-model.js';
import { deleteModelRoute } from './delete-model.js';
import { getModelRoute } from './get-model.js';
import { listModelsRoute } from './list-models.js';
import { pingModelRoute } from './ping-model.js';

export const modelsRouter = router({
  create: createModelRoute,
  get: getModelRoute,
  list: listModelsRoute,
  delete: deleteModelRoute,
  ping: pingModelRoute,
});
