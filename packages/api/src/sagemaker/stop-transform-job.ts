import { stopJob } from '@sluice/core';
import type { SageMakerAction } from './action.js';

export const StopTransformJob: SageMakerAction = async ({ core, actor }, request) => {
  await stopJob(core, actor, { name: request.TransformJobName });
  return {};
};
