import { createModel } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { modelArn, toCreateModel } from './shapes.js';

export const CreateModel: SageMakerAction = async ({ core, actor }, request) => {
  const model = await createModel(core, actor, toCreateModel(request));
  return { ModelArn: modelArn(model, core.settings) };
};
