// Model env values marked secret: sealed at rest, masked in every view, named in no error or audit
// entry. (That the model's own process gets them is tested end to end in tests/service.)
import { eq } from 'drizzle-orm';
import { DescribeModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, models } from '@sluice/db';
import { failureOf, startTestApi } from '../test-support/api-harness.js';

const SECRET = 'sk-live-7f3a9c1e5b';

let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi({ settings: { secretKey: 'a-test-secret-key-of-at-least-32-characters' } });
});
afterAll(async () => {
  await api?.stop();
});

describe('secret model env', () => {
  it('masks secret values in create, get and list, and stores them sealed', async () => {
    const created = await api.client.models.create.mutate({ name: 'with-secret', kind: 'command', command: 'serve', env: { MODE: 'fast' }, secretEnv: { API_KEY: SECRET } });
    expect(created).toMatchObject({ env: { MODE: 'fast' }, secretEnv: { API_KEY: '••••' } });
    expect((await api.client.models.get.query({ name: 'with-secret' })).secretEnv).toEqual({ API_KEY: '••••' });
    expect((await api.client.models.list.query()).find((m) => m.name === 'with-secret')?.secretEnv).toEqual({ API_KEY: '••••' });
    const [row] = await api.core.db.select().from(models).where(eq(models.name, 'with-secret'));
    expect(row!.secretEnv.API_KEY).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(await api.core.db.select().from(auditLog))).not.toContain(SECRET);
  });

  it('keeps the value out of the SageMaker view and out of error messages', async () => {
    const key = await api.client.account.keys.create.mutate();
    const sm = new SageMakerClient({ endpoint: `${api.url}/api/sagemaker`, region: 'us-east-1', credentials: key, maxAttempts: 1 });
    expect(JSON.stringify(await sm.send(new DescribeModelCommand({ ModelName: 'with-secret' })))).not.toContain(SECRET);
    const taken = await failureOf(api.client.models.create.mutate({ name: 'with-secret', kind: 'command', command: 'serve', secretEnv: { API_KEY: SECRET } }));
    expect(JSON.stringify(taken.shape)).not.toContain(SECRET);
    const tooLong = await failureOf(api.client.models.create.mutate({ name: 'long', kind: 'command', command: 'serve', secretEnv: { API_KEY: `${SECRET}${'x'.repeat(10240)}` } }));
    expect(tooLong.data?.issues?.[0]?.path).toBe('secretEnv.API_KEY');
    expect(JSON.stringify(tooLong.shape)).not.toContain(SECRET);
  });

  it('names what is wrong: a secret also in env, or on a model with no process of its own', async () => {
    const both = await failureOf(api.client.models.create.mutate({ name: 'both', kind: 'command', command: 'serve', env: { API_KEY: 'x' }, secretEnv: { API_KEY: SECRET } }));
    expect(both.data?.issues).toEqual([{ path: 'secretEnv.API_KEY', message: 'API_KEY is in env too: give it in one of env or secretEnv' }]);
    const http = await failureOf(api.client.models.create.mutate({ name: 'remote', kind: 'http', url: 'http://127.0.0.1:9', secretEnv: { API_KEY: SECRET } }));
    expect(http.data?.issues).toEqual([{ path: 'secretEnv', message: 'only a command model gets environment variables; an http model has no process of its own to give them to' }]);
  });

  it('refuses secret values when there is no SLUICE_SECRET_KEY to seal them with', async () => {
    const keyless = await startTestApi();
    try {
      const error = await failureOf(keyless.client.models.create.mutate({ name: 'keyless', kind: 'command', command: 'serve', secretEnv: { API_KEY: SECRET } }));
      expect(error.data?.issues).toEqual([{ path: 'secretEnv', message: expect.stringMatching(/^secret env values are stored sealed with SLUICE_SECRET_KEY, which is not set: set it .* or run `sluice up` in local mode/) }]);
    } finally {
      await keyless.stop();
    }
  });
});
