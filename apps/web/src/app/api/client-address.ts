/**
 * The client's address for rate limits and the audit log. A route handler has no socket; Next puts
 * the socket's address in `x-forwarded-for` when the request has none, and a proxy in front
 * appends the address it saw. So the last entry is the nearest hop's view: the real client behind a
 * proxy. Without a proxy a client can send its own header: the per-address sign-in limit is then
 * only as good as that, while the per-email limit holds regardless.
 */
export function clientAddress(req: Request): string | null {
  const forwarded = req.headers.get('x-forwarded-for');
  const last = forwarded?.split(',').pop()?.trim();
  return last || null;
}
