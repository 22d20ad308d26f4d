import { createJob } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { toCreateJob } from './shapes.js';

export const CreateTransformJob: SageMakerAction = async ({ core, actor, pools }, request) => {
  const job = await createJob(core, actor, toCreateJob(request, pools));
  return { TransformJobArn: job.arn };
};
