// What each procedure takes and returns, inferred from the router (types only: no server code in
// the browser bundle). For views that have no shared schema in @sluice/contracts (account, admin).
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@sluice/api';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
