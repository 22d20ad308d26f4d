/** A request body over its door's limit: refused while it streams, before anything else is done with it. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is over ${limit} bytes`);
  }
}

/**
 * Reads a body of at most `limit` bytes, stopping as soon as it goes over: a client cannot make the
 * server hold more than `limit` by sending more, and a declared Content-Length over the limit is
 * refused before a byte is read. A web stream is cancelled; a node request is left unread (not
 * destroyed, which would take the socket and the 413 with it): answer with `connection: close`.
 */
export async function readBodyLimited(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null, limit: number, declaredLength?: string | null): Promise<Buffer> {
  if (declaredLength != null && Number(declaredLength) > limit) throw new BodyTooLarge(limit);
  if (body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    size += value.length;
    if (size > limit) {
      if (isWebStream(body)) await iterator.return?.();
      throw new BodyTooLarge(limit);
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, size);
}

function isWebStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream).getReader === 'function';
}
