import type { Actor, Core } from '@sluice/core';
import type { InstanceTypePools } from './instance-pools.js';
import type { Json } from './shapes.js';

/** What an action gets: the job service, who signed the request, and the instance-type table. */
export interface ActionContext {
  core: Core;
  actor: Actor;
  pools: InstanceTypePools;
}

/** One SageMaker action: the request body (PascalCase JSON) in, the response body out. */
export type SageMakerAction = (context: ActionContext, request: Json) => Promise<Json>;
