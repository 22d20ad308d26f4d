import { listJobs } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { toListJobs, toTransformJobSummary } from './shapes.js';

/** NextToken is the job service's cursor, passed through as it is. */
export const ListTransformJobs: SageMakerAction = async ({ core, actor }, request) => {
  const page = await listJobs(core, actor, toListJobs(request));
  return {
    TransformJobSummaries: page.items.map(toTransformJobSummary),
    ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
  };
};
