import { handleAuthRequest } from '@sluice/api';
import { serverCore } from '@/server/core';

export const dynamic = 'force-dynamic';

/** Sign-in, sign-out, the session, team switching and OIDC (`/api/auth/*`), the same routes `sluice up` serves. */
async function handle(req: Request): Promise<Response> {
  let core: Awaited<ReturnType<typeof serverCore>>;
  try {
    core = await serverCore();
  } catch (error) {
    console.error(`sluice auth: the job service is not available: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const body = { error: { code: 'INTERNAL_SERVER_ERROR', message: 'the job service is not available (its database could not be opened); see the server log' } };
    return Response.json(body, { status: 500, headers: { 'cache-control': 'no-store' } });
  }
  // A route handler cannot see the connection (peer null): local mode is refused here, and the
  // client's address is read from X-Forwarded-For only behind SLUICE_TRUSTED_PROXIES.
  return handleAuthRequest(core, req, { peer: null, log: (line) => console.error(line) });
}

export { handle as GET, handle as HEAD, handle as POST };
