import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService } from '@sluice/test-service';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { SluiceClient } from './client.js';
import { SluiceError } from './errors.js';

let service: Awaited<ReturnType<typeof startTestService>>;
let model: RunningModelServer;
let client: SluiceClient;

beforeAll(async () => {
  [service, model] = await Promise.all([startTestService(), startModelServer('echo')]);
  client = new SluiceClient({ url: service.url });
});
afterAll(async () => {
  await Promise.all([service?.stop(), model?.stop()]);
});

/** What `promise` rejected with, failing the test when it resolved. */
async function rejection(promise: Promise<unknown>): Promise<SluiceError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SluiceError);
  return error as SluiceError;
}

describe('SluiceClient', () => {
  it('creates, gets, lists and deletes models, with Dates as Dates', async () => {
    const created = await client.models.create({ name: 'echo', kind: 'http', url: model.url });
    expect(created).toMatchObject({ name: 'echo', kind: 'http', url: model.url });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect((await client.models.get({ name: 'echo' })).jobs).toEqual([]);
    expect((await client.models.list()).map((m) => m.name)).toContain('echo');
    await client.models.delete({ name: 'echo' });
    expect((await rejection(client.models.get({ name: 'echo' }))).code).toBe('NOT_FOUND');
  });

  it('runs two variant jobs over one input and reads their comparison', async () => {
    await client.models.create({ name: 'echo-a', kind: 'http', url: model.url });
    await client.models.create({ name: 'echo-b', kind: 'http', url: model.url });
    const dir = await tempDir('sluice-sdk-compare');
    try {
      await mkdir(join(dir.path, 'in'));
      await writeFile(join(dir.path, 'in', 'records.txt'), 'alpha\nbeta\ngamma\n');
      const created = await client.comparisons.create({
        name: 'echoes',
        variants: {
          models: [
            { variant: 'a', modelName: 'echo-a' },
            { variant: 'b', modelName: 'echo-b' },
          ],
          input: { uri: `${pathToFileURL(join(dir.path, 'in')).href}/` },
          output: { uri: `${pathToFileURL(join(dir.path, 'out')).href}/` },
          transform: { splitType: 'Line', assembleWith: 'Line' },
        },
      });
      expect(created.jobs.map((j) => j.name)).toEqual(['echoes-a', 'echoes-b']);
      let view = await client.comparisons.describe({ name: 'echoes' });
      for (const deadline = Date.now() + 60_000; view.status !== 'Completed' && view.status !== 'Failed' && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        view = await client.comparisons.describe({ name: 'echoes' });
      }
      expect(view.failureReason).toBeNull();
      expect(view.status).toBe('Completed');
      // The echo model answers each record with itself: both variants agree on all three.
      expect(view.results).toMatchObject({ records: 3, pairs: [{ a: 0, b: 1, records: 3, exactAgreement: 1, labelAgreement: 1 }], disagreementCount: 0 });
      expect((await client.comparisons.list()).items.map((c) => c.name)).toEqual(['echoes']);
    } finally {
      await dir.remove();
    }
  });

  it('lists the worker of the fleet', async () => {
    const workers = await client.workers.list();
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(workers[0]).toMatchObject({ alive: true, pools: expect.arrayContaining(['default']) });
  });

  it('turns a refused request into a SluiceError with the service\'s code and each bad field', async () => {
    const error = await rejection(client.models.create({ name: '-bad-', kind: 'http' }));
    expect(error.code).toBe('VALIDATION');
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'name' }), expect.objectContaining({ path: 'url', message: 'an http model needs the URL of its server' })]));
    expect(error.message).toMatch(/url: an http model needs the URL of its server/);

    await client.models.create({ name: 'twice', kind: 'http', url: model.url });
    expect((await rejection(client.models.create({ name: 'twice', kind: 'http', url: model.url }))).code).toBe('ALREADY_EXISTS');
    expect((await rejection(client.jobs.describe({ name: 'no-such-job' }))).code).toBe('NOT_FOUND');
  });

  it('says where it tried and how to point it elsewhere when nothing answers', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await rejection(new SluiceClient({ url: `http://127.0.0.1:${port}` }).models.list());
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toBe(`cannot reach Sluice at http://127.0.0.1:${port} (ECONNREFUSED): start the service (\`sluice up\`), or point the SDK at it with the \`url\` option or SLUICE_URL`);
  });

  it('sends SLUICE_TOKEN as a bearer token, and reports a server that is not Sluice', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const impostor = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    const saved = { url: process.env.SLUICE_URL, token: process.env.SLUICE_TOKEN };
    try {
      Object.assign(process.env, { SLUICE_URL: `${url}/`, SLUICE_TOKEN: 'secret' });
      const fromEnv = new SluiceClient();
      expect(fromEnv.url).toBe(url);
      const error = await rejection(fromEnv.models.list());
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toMatch(new RegExp(`^the server at ${url} did not answer as a Sluice service does`));
      expect(seen[0]?.authorization).toBe('Bearer secret');
    } finally {
      for (const [key, value] of [['SLUICE_URL', saved.url], ['SLUICE_TOKEN', saved.token]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      impostor.close();
    }
  });

  it('refuses a URL that is not http(s) before calling anything', () => {
    expect(() => new SluiceClient({ url: 'localhost:3000' })).toThrow(/must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:3000 \(got 'localhost:3000'\)/);
  });
});
