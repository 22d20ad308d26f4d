import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpTransport, spawnModelCommand, waitUntilHealthy, type ModelTransport } from '@sluice/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerTransport } from './in-process.js';
import { invokeText } from './test-support/invoke.js';
import { UDHR_SAMPLES } from './test-support/udhr.js';

const BIN = resolve(fileURLToPath(new URL('../bin/sluice-model-server.js', import.meta.url)));
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-model-server-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The server as a worker starts a `command` model: spawned on a free $PORT, awaited on /ping. */
async function serve(args: string, options: { modelDir?: string; env?: Record<string, string> } = {}): Promise<ModelTransport> {
  const spawned = await spawnModelCommand({ baseEnv: process.env, command: `node ${BIN} ${args}`, ...options });
  const transport = createHttpTransport(spawned.url);
  cleanup.push(async () => {
    await transport.close();
    await spawned.stop();
  });
  await waitUntilHealthy(transport, { timeoutMs: 20_000, isAlive: () => spawned.isAlive(), exited: spawned.exited, lastLogLines: () => spawned.lastLines() });
  return transport;
}

describe('sluice-model-server', () => {
  it('serves a built-in handler over HTTP with the same answers as in-process', async () => {
    const body = `${UDHR_SAMPLES.map(([, , text]) => text).join('\n')}\n`;
    const [http, local] = await Promise.all([serve('--handler franc'), createHandlerTransport('franc')]);
    cleanup.push(() => local.close());
    const overHttp = await invokeText(http, body, 'text/plain', 'application/jsonlines');
    expect(overHttp).toBe(await invokeText(local, body, 'text/plain', 'application/jsonlines'));
    expect(overHttp.split('\n')).toHaveLength(UDHR_SAMPLES.length + 1);
    expect(await http.executionParameters()).toBeUndefined();
  });

  it('serves a handler module by path: modelFn reads SM_MODEL_DIR once, hooks by name, its execution parameters', async () => {
    await writeFile(join(dir, 'model-prefix.txt'), 'seen: ');
    await writeFile(
      join(dir, 'prefix-handler.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "export const executionParameters = { MaxConcurrentTransforms: 2, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 1 };",
        "export function modelFn(modelDir) { return readFileSync(`${modelDir}/model-prefix.txt`, 'utf8'); }",
        "export function inputFn(body) { return body.toString('utf8').split('\\n').filter(Boolean); }",
        'export function predictFn(lines, prefix) { return lines.map((line) => prefix + line); }',
        "export function outputFn(lines, accept) { return lines.map((l) => `${l} (${accept})\\n`).join(''); }",
      ].join('\n'),
    );
    const http = await serve(`--handler ${join(dir, 'prefix-handler.mjs')}`, { modelDir: dir });
    expect(await invokeText(http, 'a\nb\n', 'text/plain', 'text/plain')).toBe('seen: a (text/plain)\nseen: b (text/plain)\n');
    expect(await http.executionParameters()).toEqual({ MaxConcurrentTransforms: 2, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 1 });
  });

  it('answers 400 with the reason for a bad body, and 413 above SAGEMAKER_MAX_PAYLOAD_IN_MB', async () => {
    const http = await serve('--handler franc', { env: { SAGEMAKER_MAX_PAYLOAD_IN_MB: '1' } });
    const bad = await http.invoke(Buffer.from('not json'), { contentType: 'application/jsonlines', timeoutMs: 5000 });
    expect(bad.status).toBe(400);
    expect(bad.body.toString()).toBe('line 1 is not JSON: "not json"');
    const big = await http.invoke(Buffer.alloc(1024 * 1024 + 1, 'a'), { contentType: 'text/plain', timeoutMs: 5000 });
    expect(big.status).toBe(413);
  });

  it('exits with a message naming the built-ins for an unknown handler', async () => {
    const spawned = await spawnModelCommand({ baseEnv: process.env, command: `node ${BIN} --handler nope` });
    expect(await spawned.exited).toBe(2);
    expect(spawned.lastLines().join('\n')).toContain("no built-in handler named 'nope' (built-in: franc, fasttext-langid, onnx, paddle-ocr)");
  });
});
