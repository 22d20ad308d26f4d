import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, authenticate, authRequestFrom } from '@sluice/api';
import { TRPC_PATH } from '@sluice/contracts';
import { serverCore } from '@/server/core';

export const dynamic = 'force-dynamic';

function handle(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_PATH,
    req,
    router: appRouter,
    // Who is asking: an API token, the session cookie (and its CSRF header on mutations), or the
    // local admin in local mode. A route handler cannot see the connection's address (peer null), so
    // local mode is refused here: `npm run start` serves these paths from server.ts, which can. A refusal is a TRPCError (UNAUTHORIZED / FORBIDDEN) the client
    // receives as it would from a procedure; the dashboard sends a 401 to the sign-in page.
    createContext: async () => {
      const core = await serverCore();
      return { core, actor: await authenticate(core, authRequestFrom(req.headers, req.method, null, core.settings.auth)) };
    },
    onError: ({ error, path }) => {
      // The full story goes to the operator's log; callers get the code and message only.
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`sluice api: ${path ?? '(no procedure)'} failed: ${error.cause?.stack ?? error.stack ?? error.message}`);
    },
  });
}

export { handle as GET, handle as POST };
