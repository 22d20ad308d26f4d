import { describeJob } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { toDescribeTransformJobResponse } from './shapes.js';

export const DescribeTransformJob: SageMakerAction = async ({ core, actor }, request) =>
  toDescribeTransformJobResponse(await describeJob(core, actor, { name: request.TransformJobName }));
