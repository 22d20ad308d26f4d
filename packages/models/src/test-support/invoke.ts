import type { ModelTransport } from '@sluice/engine';

/** One invocation's answer as text; fails the test on a non-200 with the model's message. */
export async function invokeText(transport: ModelTransport, body: string, contentType?: string, accept?: string): Promise<string> {
  const response = await transport.invoke(Buffer.from(body), { contentType, accept, timeoutMs: 30_000 });
  if (response.status !== 200) throw new Error(`status ${response.status}: ${response.body.toString()}`);
  return response.body.toString('utf8');
}

export function jsonLines(text: string): unknown[] {
  return text.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '').map((line) => JSON.parse(line) as unknown);
}
