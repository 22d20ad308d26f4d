import { getModel } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { modelArn, toDescribeModelResponse } from './shapes.js';

export const DescribeModel: SageMakerAction = async ({ core, actor }, request) => {
  const model = await getModel(core, actor, { name: request.ModelName });
  return toDescribeModelResponse(model, modelArn(model, core.settings));
};
