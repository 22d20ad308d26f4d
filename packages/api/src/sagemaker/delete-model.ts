import { deleteModel } from '@sluice/core';
import type { SageMakerAction } from './action.js';

export const DeleteModel: SageMakerAction = async ({ core, actor }, request) => {
  await deleteModel(core, actor, { name: request.ModelName });
  return {};
};
