import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@sluice/core';
import { startModelServer } from '@sluice/testkit';
import { startApiServer } from './http-server.js';
import { apiClient, failureOf, startTestApi, type ApiClient } from './test-support/api-harness.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let client: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  client = api.client;
  await client.models.create.mutate({ name: 'm', kind: 'http', url: 'http://127.0.0.1:9' });
});
afterAll(async () => {
  await api?.stop();
});

/** A job that passes validation; each test changes what it is about. */
function job(name: string, changes: Record<string, unknown> = {}) {
  return { name, modelName: 'm', input: { uri: 'file:///tmp/sluice-api-test/in/' }, output: { uri: 'file:///tmp/sluice-api-test/out/' }, ...changes };
}

describe('models', () => {
  it('creates, lists and gets a model, with the jobs that used it', async () => {
    const created = await client.models.create.mutate({ name: 'echo', kind: 'command', command: 'python serve.py', env: { A: '1' }, description: 'echoes' });
    expect(created).toMatchObject({ name: 'echo', kind: 'command', command: 'python serve.py', env: { A: '1' }, startupTimeoutSeconds: 120, createdBy: 'local' });
    expect(created.createdAt).toBeInstanceOf(Date);
    await client.jobs.create.mutate(job('uses-echo', { modelName: 'echo' }));
    expect((await client.models.list.query()).map((m) => m.name)).toEqual(expect.arrayContaining(['echo', 'm']));
    const got = await client.models.get.query({ name: 'echo' });
    expect(got.jobs).toEqual([expect.objectContaining({ name: 'uses-echo', status: 'InProgress' })]);
  });

  it('rejects a bad model with BAD_REQUEST and an issue per field', async () => {
    const error = await failureOf(client.models.create.mutate({ name: 'no spaces', kind: 'http', command: 'x' }));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, appCode: 'VALIDATION' });
    expect(error.data?.issues).toEqual([
      { path: 'name', message: 'must be letters, digits and hyphens, starting and ending with a letter or digit' },
      { path: 'url', message: 'an http model needs the URL of its server' },
      { path: 'command', message: 'an http model has a URL, not a command' },
    ]);
    expect(error.message).toMatch(/^name: must be letters/);
  });

  it('refuses a second model of the same name with CONFLICT', async () => {
    const error = await failureOf(client.models.create.mutate({ name: 'm', kind: 'http', url: 'http://127.0.0.1:9' }));
    expect(error.data).toMatchObject({ code: 'CONFLICT', httpStatus: 409, appCode: 'ALREADY_EXISTS', issues: [] });
    expect(error.message).toBe("a model named 'm' already exists; choose another name or delete it first");
  });

  it('refuses to delete a model a running job uses, naming the job, and deletes it once the job stopped', async () => {
    await client.models.create.mutate({ name: 'busy', kind: 'http', url: 'http://127.0.0.1:9' });
    await client.jobs.create.mutate(job('busy-job', { modelName: 'busy' }));
    const error = await failureOf(client.models.delete.mutate({ name: 'busy' }));
    expect(error.data).toMatchObject({ code: 'CONFLICT', appCode: 'CONFLICT' });
    expect(error.message).toMatch(/model 'busy' is used by running job 'busy-job'/);
    await client.jobs.stop.mutate({ name: 'busy-job' });
    await client.models.delete.mutate({ name: 'busy' });
    expect((await failureOf(client.models.get.query({ name: 'busy' }))).data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
  });
});

describe('models.ping', () => {
  it('answers ok with status 200 and a latency for a live reference model', async () => {
    const server = await startModelServer('echo');
    try {
      await client.models.create.mutate({ name: 'live', kind: 'http', url: server.url });
      const result = await client.models.ping.mutate({ name: 'live' });
      expect(result).toMatchObject({ ok: true, status: 200, message: null });
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.latencyMs).toBeLessThan(2_000);
    } finally {
      await server.stop();
    }
  });

  it('answers not ok with a readable reason once the model has stopped', async () => {
    const server = await startModelServer('echo');
    await client.models.create.mutate({ name: 'gone', kind: 'http', url: server.url });
    await server.stop();
    const result = await client.models.ping.mutate({ name: 'gone' });
    expect(result.ok).toBe(false);
    expect(result.status).toBeNull();
    expect(result.message).toContain(`GET ${server.url}/ping got no answer`);
  });

  it('answers not ok with the status when /ping is not 200', async () => {
    const server = await startModelServer('never-healthy', {}, { waitForPing: false });
    try {
      await client.models.create.mutate({ name: 'sick', kind: 'http', url: server.url });
      const result = await client.models.ping.mutate({ name: 'sick' });
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ status: 503, message: expect.stringContaining('/ping answered 503') });
    } finally {
      await server.stop();
    }
  });

  it('explains that a command model cannot be pinged before a job starts it', async () => {
    await client.models.create.mutate({ name: 'cmd', kind: 'command', command: 'python serve.py' });
    expect(await client.models.ping.mutate({ name: 'cmd' })).toEqual({ ok: null, status: null, message: 'started by each worker when a job runs; run a job to test it', latencyMs: null });
  });
});

describe('jobs', () => {
  it('creates a job InProgress with SageMaker defaults and describes it', async () => {
    const created = await client.jobs.create.mutate(job('first', { transform: { splitType: 'Line' }, tags: [{ key: 'team', value: 'ml' }] }));
    expect(created).toMatchObject({ name: 'first', status: 'InProgress', modelName: 'm', instanceCount: 1, instanceType: 'default', input: { dataType: 'S3Prefix' } });
    expect(created.arn).toBe('arn:aws:sagemaker:us-east-1:000000000000:transform-job/first');
    const described = await client.jobs.describe.query({ name: 'first' });
    expect(described).toMatchObject({ name: 'first', transform: { splitType: 'Line' }, tags: [{ key: 'team', value: 'ml' }] });
    expect(described.creationTime).toBeInstanceOf(Date);
  });

  it('answers BAD_REQUEST "Could not find model" for a job whose model is not registered', async () => {
    const error = await failureOf(client.jobs.create.mutate(job('orphan', { modelName: 'nope' })));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', issues: [{ path: 'modelName', message: "no model named 'nope'" }] });
    expect(error.message).toMatch(/^Could not find model 'nope'/);
  });

  it('refuses a second job of the same name with CONFLICT', async () => {
    await client.jobs.create.mutate(job('twice'));
    const error = await failureOf(client.jobs.create.mutate(job('twice')));
    expect(error.data).toMatchObject({ code: 'CONFLICT', appCode: 'ALREADY_EXISTS' });
    expect(error.message).toMatch(/a transform job named 'twice' already exists/);
  });

  it('returns the first job when a create is repeated with the same clientToken', async () => {
    const first = await client.jobs.create.mutate(job('token-1', { clientToken: 'tok-abc' }));
    const again = await client.jobs.create.mutate(job('token-2', { clientToken: 'tok-abc' }));
    expect(again.name).toBe('token-1');
    expect(again.arn).toBe(first.arn);
    expect((await failureOf(client.jobs.describe.query({ name: 'token-2' }))).data?.code).toBe('NOT_FOUND');
  });

  it('pages through 25 jobs 10 at a time, newest first, without repeats', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
    for (const name of names) await client.jobs.create.mutate(job(name));
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.jobs.list.query({ nameContains: 'page-', limit: 10, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((j) => j.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 5);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual([...names].reverse());
    const ascending = await client.jobs.list.query({ nameContains: 'page-', sortBy: 'Name', sortOrder: 'Ascending', limit: 3 });
    expect(ascending.items.map((j) => j.name)).toEqual(['page-00', 'page-01', 'page-02']);
    // Oldest first by creation time too: the cursor holds the time exactly as stored.
    const oldest: string[] = [];
    cursor = undefined;
    do {
      const page = await client.jobs.list.query({ nameContains: 'page-', sortOrder: 'Ascending', limit: 4, ...(cursor ? { cursor } : {}) });
      oldest.push(...page.items.map((j) => j.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && oldest.length < 40);
    expect(oldest).toEqual(names);
  });

  it('filters by status, name and model', async () => {
    for (const name of ['filter-a', 'filter-b', 'filter-c']) await client.jobs.create.mutate(job(name));
    await client.jobs.stop.mutate({ name: 'filter-b' });
    const names = async (query: Parameters<ApiClient['jobs']['list']['query']>[0]) => (await client.jobs.list.query(query)).items.map((j) => j.name).sort();
    expect(await names({ nameContains: 'FILTER-' })).toEqual(['filter-a', 'filter-b', 'filter-c']);
    expect(await names({ nameContains: 'filter-', status: ['Stopped'] })).toEqual(['filter-b']);
    expect(await names({ nameContains: 'filter-', status: ['InProgress'] })).toEqual(['filter-a', 'filter-c']);
    expect(await names({ nameContains: 'filter-', modelName: 'other' })).toEqual([]);
  });

  it('answers NOT_FOUND for a job that does not exist', async () => {
    const error = await failureOf(client.jobs.describe.query({ name: 'ghost' }));
    expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, appCode: 'NOT_FOUND' });
    expect(error.message).toBe("no transform job named 'ghost'");
  });

  it('stops a job: Stopping, then Stopped; stopping it again changes nothing', async () => {
    await client.jobs.create.mutate(job('to-stop'));
    const stopping = await client.jobs.stop.mutate({ name: 'to-stop' });
    expect(['Stopping', 'Stopped']).toContain(stopping.status);
    // No worker holds a task of this job, so nothing is left to abort.
    expect((await client.jobs.describe.query({ name: 'to-stop' })).status).toBe('Stopped');
    expect((await client.jobs.stop.mutate({ name: 'to-stop' })).status).toBe('Stopped');
  });

  it('clones a job under a new name, remembering its source', async () => {
    await client.jobs.create.mutate(job('original', { instanceCount: 3 }));
    const clone = await client.jobs.clone.mutate({ name: 'original', newName: 'copy' });
    expect(clone).toMatchObject({ name: 'copy', clonedFrom: 'original', instanceCount: 3, status: 'InProgress' });
  });

  it('refuses to retry a job that is still running', async () => {
    await client.jobs.create.mutate(job('still-running'));
    const error = await failureOf(client.jobs.retryFailed.mutate({ name: 'still-running' }));
    expect(error.data).toMatchObject({ code: 'CONFLICT' });
    expect(error.message).toBe("only a Failed or Stopped job can be retried; 'still-running' is InProgress");
  });

  it('reads logs, metrics and objects of a job that has not run yet', async () => {
    await client.jobs.create.mutate(job('quiet'));
    expect(await client.logs.list.query({ name: 'quiet' })).toEqual({ items: [], nextCursor: '0' });
    expect(await client.jobs.objects.query({ name: 'quiet' })).toEqual([]);
    expect((await client.metrics.get.query({ name: 'quiet' })).summary).toMatchObject({ invocations: 0, p50Ms: null });
    expect(await client.workers.list.query()).toEqual([]);
  });
});

describe('jobs.create validation: every bad field is named with what to change', () => {
  const bad = (changes: Record<string, unknown>) => job('valid-name', changes);
  it.each([
    ['a bad name', { name: 'under_score' }, 'name', 'must be letters, digits and hyphens, starting and ending with a letter or digit'],
    ['instanceCount 0', { instanceCount: 0 }, 'instanceCount', 'must be at least 1'],
    ['maxPayloadInMB 101', { transform: { maxPayloadInMB: 101 } }, 'transform.maxPayloadInMB', 'must be a whole number from 0 to 100 (got 101)'],
    [
      'MaxConcurrentTransforms × MaxPayloadInMB over 100',
      { transform: { splitType: 'Line', maxConcurrentTransforms: 4, maxPayloadInMB: 30 } },
      'transform.maxConcurrentTransforms',
      'MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 (got 4 × 30 = 120)',
    ],
    [
      'a BatchStrategy with SplitType None',
      { transform: { batchStrategy: 'MultiRecord' } },
      'transform.batchStrategy',
      'needs SplitType Line, RecordIO or TFRecord: with SplitType None each object is one record; leave BatchStrategy unset or choose a SplitType',
    ],
    [
      'JoinSource Input with Accept other than ContentType',
      { transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/csv', accept: 'application/json', dataProcessing: { joinSource: 'Input' } } },
      'transform.dataProcessing.joinSource',
      "JoinSource Input needs Accept equal to ContentType (got Accept 'application/json', ContentType 'text/csv')",
    ],
    ['an input URI that is not storage', { input: { uri: 'http://example.com/data' } }, 'input.uri', 'must be s3://bucket/prefix or file:///absolute/path'],
    ['17 environment variables', { environment: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`V${i}`, 'x'])) }, 'environment', 'at most 16 variables'],
  ])('rejects %s', async (_case, changes, path, message) => {
    const error = await failureOf(client.jobs.create.mutate(bad(changes) as Parameters<ApiClient['jobs']['create']['mutate']>[0]));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, appCode: 'VALIDATION' });
    expect(error.data?.issues).toEqual([{ path, message }]);
    expect(error.message).toBe(`${path}: ${message}`);
  });

  it('names every bad field at once', async () => {
    const error = await failureOf(client.jobs.create.mutate(bad({ name: '-x', instanceCount: 0, output: { uri: 'ftp://x' } }) as Parameters<ApiClient['jobs']['create']['mutate']>[0]));
    expect(error.data?.issues?.map((i) => i.path)).toEqual(['name', 'output.uri', 'instanceCount']);
  });
});

describe('the HTTP server', () => {
  it('answers /healthz and a JSON 404 elsewhere', async () => {
    const health = await fetch(`${api.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const missing = await fetch(`${api.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('answers an unknown procedure with NOT_FOUND', async () => {
    const response = await fetch(`${api.url}/api/trpc/jobs.nothing`);
    expect(response.status).toBe(404);
    // superjson wraps the error shape in `json`.
    const body = (await response.json()) as { error: { json: { message: string; data: unknown } } };
    expect(body.error.json.data).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    expect(body.error.json.message).toMatch(/jobs\.nothing/);
  });

  it('reports an unexpected failure as INTERNAL with a readable message and no stack, and logs the stack', async () => {
    const broken = await openCore({ databaseUrl: api.databaseUrl });
    await broken.close();
    const logged: string[] = [];
    const server = await startApiServer({ core: broken, port: 0, log: (line) => logged.push(line) });
    try {
      const error = await failureOf(apiClient(server.url).models.list.query());
      expect(error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, appCode: 'INTERNAL' });
      expect(error.message).toMatch(/^internal error: write CONNECTION_ENDED/);
      expect(error.message).not.toMatch(/\n\s+at /);
      expect(JSON.stringify(error.shape)).not.toMatch(/stack|\.ts:\d+/);
      expect(logged.join('\n')).toMatch(/models\.list failed: [\s\S]*\n\s+at /);
    } finally {
      await server.close();
    }
  });
});
