import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, TRPC_PATH } from '@sluice/api';
import { LOCAL_ACTOR } from '@sluice/core';
import { serverCore } from '@/server/core';

export const dynamic = 'force-dynamic';

function handle(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_PATH,
    req,
    router: appRouter,
    createContext: async () => ({ core: await serverCore(), actor: LOCAL_ACTOR }),
    onError: ({ error, path }) => {
      // The full story goes to the operator's log; callers get the code and message only.
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`sluice api: ${path ?? '(no procedure)'} failed: ${error.cause?.stack ?? error.stack ?? error.message}`);
    },
  });
}

export { handle as GET, handle as POST };
