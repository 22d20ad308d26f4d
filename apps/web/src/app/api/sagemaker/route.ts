import { BodyTooLarge, createSageMakerApi, readBodyLimited, SAGEMAKER_MAX_BODY_BYTES } from '@sluice/api';
import { serverCore, webServerSettings } from '@/server/core';

export const dynamic = 'force-dynamic';

let api: Promise<ReturnType<typeof createSageMakerApi>> | undefined;

/** The SageMaker-compatible API (AWS JSON 1.1 over POST), the same one `sluice up` serves. */
async function handle(req: Request): Promise<Response> {
  api ??= serverCore().then((core) => createSageMakerApi({ core, instanceTypePools: webServerSettings().instanceTypePools }));
  let handleSageMakerRequest: Awaited<typeof api>;
  try {
    handleSageMakerRequest = await api;
  } catch (error) {
    api = undefined;
    console.error(`sluice sagemaker api: the job service is not available: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const body = { __type: 'InternalFailure', message: 'the job service is not available (its database could not be opened); see the server log' };
    return Response.json(body, { status: 500, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'InternalFailure' } });
  }
  const url = new URL(req.url);
  let body: Buffer;
  try {
    // Refused while it streams, before the signature is checked.
    body = await readBodyLimited(req.body, SAGEMAKER_MAX_BODY_BYTES, req.headers.get('content-length'));
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    const message = `the body is over ${SAGEMAKER_MAX_BODY_BYTES} bytes`;
    return Response.json({ __type: 'SerializationException', message }, { status: 413, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'SerializationException' } });
  }
  const response = await handleSageMakerRequest({ method: req.method, url: url.pathname + url.search, headers: Object.fromEntries(req.headers.entries()), body });
  return new Response(response.body, { status: response.status, headers: response.headers });
}

export { handle as GET, handle as POST };
