// Where the API may point the service's own hands: file:// only under SLUICE_FILE_ROOTS (none
// when sign-in is required and it is unset), http models only under SLUICE_MODEL_URL_ALLOW.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateModelCommand, CreateTransformJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_SETTINGS, openCore, type AuthSettings, type Core } from '@sluice/core';
import { tempDir } from '@sluice/testkit';
import { startApiServer, type RunningApiServer } from '../http-server.js';
import { failureOf } from '../test-support/api-harness.js';
import { makeUser, sessionClient, startRequiredApi, tokenClient, type TestUser } from './test-support/auth-harness.js';

let api: Awaited<ReturnType<typeof startRequiredApi>>;
let dir: Awaited<ReturnType<typeof tempDir>>;
let user: TestUser;

/** A second server on the same database whose job service has other settings. */
async function serviceWith(auth: Partial<AuthSettings>): Promise<{ core: Core & { close(): Promise<void> }; server: RunningApiServer; client: ReturnType<typeof tokenClient>; stop(): Promise<void> }> {
  const core = await openCore({ databaseUrl: api.databaseUrl, settings: { auth: { ...DEFAULT_AUTH_SETTINGS, mode: 'required', ...auth } } });
  const server = await startApiServer({ core, port: 0 });
  return { core, server, client: tokenClient(server.url, user.token), stop: async () => (await server.close(), await core.close()) };
}

beforeAll(async () => {
  dir = await tempDir('sluice-roots');
  api = await startRequiredApi();
  user = await makeUser(api.core, 'ops@example.com', 'ops', 'admin');
  await mkdir(join(dir.path, 'ops', 'in'), { recursive: true });
  await mkdir(join(dir.path, 'secret'), { recursive: true });
  await writeFile(join(dir.path, 'ops', 'in', 'a.txt'), 'a\nb\n');
  await writeFile(join(dir.path, 'secret', 'passwd.txt'), 'root:x:0:0\n');
  // A manifest inside the roots that lists an object outside them.
  await writeFile(join(dir.path, 'ops', 'manifest.json'), JSON.stringify([{ prefix: `file://${dir.path}/secret/` }, 'passwd.txt']));
});
afterAll(async () => {
  await api?.stop();
  await dir?.remove();
});

const job = (name: string, input: string, output: string) => ({ name, modelName: 'm', input: { uri: input }, output: { uri: output } });

describe('file:// roots', () => {
  it('refuses every file:// location when sign-in is required and SLUICE_FILE_ROOTS is unset, naming the setting', async () => {
    const client = tokenClient(api.url, user.token);
    await client.models.create.mutate({ name: 'm', kind: 'http', url: 'http://127.0.0.1:9' });
    const error = await failureOf(client.jobs.create.mutate(job('j', `file://${dir.path}/ops/in/`, 's3://bucket/out/')));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    expect(error.data?.issues).toEqual([
      {
        path: 'input.uri',
        message: `file://${dir.path}/ops/in/ is outside the file:// roots this service may use (SLUICE_FILE_ROOTS is not set, so no file:// location may be used when sign-in is required); use a location under one of them, or have the operator add its folder to SLUICE_FILE_ROOTS`,
      },
      {
        path: 'output.uri',
        message: 's3://bucket/out/ is outside the s3:// locations this service may use (SLUICE_S3_ROOTS is not set, so no s3:// location may be used when sign-in is required); use a location under one of them, or have the operator add its prefix to SLUICE_S3_ROOTS',
      },
    ]);
    const artifact = await failureOf(client.models.create.mutate({ name: 'c', kind: 'command', command: 'x', artifactUri: `file://${dir.path}/model.tar.gz` }));
    expect(artifact.data?.issues?.[0]?.path).toBe('artifactUri');
  });

  it("keeps each team to its own s3:// prefix with SLUICE_S3_ROOTS and {team}, refusing '.' and '..' segments", async () => {
    const limited = await serviceWith({ s3Roots: ['s3://datasets/{team}/', 's3://shared-models/'], modelUrlAllow: ['http://127.0.0.1:9'] });
    try {
      // The model URL is allowed by name: required mode allows none until SLUICE_MODEL_URL_ALLOW says.
      await limited.client.models.create.mutate({ name: 'm3', kind: 'http', url: 'http://127.0.0.1:9' });
      const ok = await limited.client.jobs.create.mutate({ ...job('on-s3', 's3://datasets/ops/in/', 's3://datasets/ops/out/'), modelName: 'm3' });
      expect(ok.name).toBe('on-s3');
      for (const uri of ['s3://datasets/other-team/in/', 's3://datasets/ops/../other-team/in/', 's3://datasets/opsx/in/', 's3://elsewhere/ops/in/']) {
        const error = await failureOf(limited.client.jobs.create.mutate({ ...job('refused', uri, 's3://datasets/ops/out2/'), modelName: 'm3' }));
        expect(error.data?.issues, uri).toEqual([{ path: 'input.uri', message: expect.stringContaining(`${uri} is outside the s3:// locations this service may use (SLUICE_S3_ROOTS=s3://datasets/ops/,s3://shared-models/)`) }]);
      }
      const artifact = await limited.client.models.create.mutate({ name: 'shared', kind: 'command', command: 'x', artifactUri: 's3://shared-models/langid.tar.gz' });
      expect(artifact.artifactUri).toBe('s3://shared-models/langid.tar.gz');
    } finally {
      await limited.stop();
    }
  });

  it("allows what is under a team's own root, and refuses other folders, '..' and manifests that list outside", async () => {
    const ops = await serviceWith({ fileRoots: [`file://${dir.path}/{team}/`] });
    try {
      const inside = `file://${dir.path}/ops/in/`;
      expect((await ops.client.jobs.create.mutate(job('inside', inside, `file://${dir.path}/ops/out/`))).status).toBe('InProgress');
      expect(await ops.client.jobs.previewInput.query({ uri: inside, splitType: 'Line' })).toMatchObject({ objects: 1, records: ['a', 'b'] });
      for (const [field, request] of [
        ['output.uri', job('outside', inside, `file://${dir.path}/secret/out/`)],
        ['input.uri', job('dotdot', `file://${dir.path}/ops/../secret/`, `file://${dir.path}/ops/out/`)],
      ] as const) {
        const error = await failureOf(ops.client.jobs.create.mutate(request));
        expect(error.data?.issues).toEqual([{ path: field, message: expect.stringContaining(`is outside the file:// roots this service may use (SLUICE_FILE_ROOTS=file://${dir.path}/ops/)`) }]);
      }
      const listed = await failureOf(ops.client.jobs.previewInput.query({ uri: `file://${dir.path}/ops/manifest.json`, dataType: 'ManifestFile' }));
      expect(listed.data?.issues).toEqual([{ path: 'uri', message: expect.stringMatching(new RegExp(`^file://${dir.path}/secret/passwd.txt is outside the file:// roots`)) }]);
    } finally {
      await ops.stop();
    }
  });

  it('leaves file:// open in local mode when SLUICE_FILE_ROOTS is unset', async () => {
    const local = await serviceWith({ mode: 'local' });
    try {
      const preview = await tokenClient(local.server.url, user.token).jobs.previewInput.query({ uri: `file://${dir.path}/secret/`, splitType: 'Line' });
      expect(preview.objects).toBe(1);
    } finally {
      await local.stop();
    }
  });
});

describe('the model URL allow-list', () => {
  it('refuses an http model outside SLUICE_MODEL_URL_ALLOW through tRPC and the SageMaker API, naming the setting', async () => {
    const limited = await serviceWith({ modelUrlAllow: ['http://models.internal:8080/', 'http://127.0.0.1:9'] });
    try {
      expect((await limited.client.models.create.mutate({ name: 'allowed', kind: 'http', url: 'http://models.internal:8080/scorer' })).url).toBe('http://models.internal:8080/scorer');
      const error = await failureOf(limited.client.models.create.mutate({ name: 'metadata', kind: 'http', url: 'http://169.254.169.254/latest' }));
      expect(error.data?.issues).toEqual([
        {
          path: 'url',
          message:
            'http://169.254.169.254/latest is not an allowed model URL (SLUICE_MODEL_URL_ALLOW=http://models.internal:8080/,http://127.0.0.1:9); use a URL starting with one of them, or have the operator add it to SLUICE_MODEL_URL_ALLOW',
        },
      ]);
      // Compared parsed, not as strings: userinfo tricks and longer ports do not pass for an entry.
      for (const url of ['http://models.internal:8080@evil.example/', 'http://127.0.0.1:90/']) {
        const tricked = await failureOf(limited.client.models.create.mutate({ name: 'tricked', kind: 'http', url }));
        expect(tricked.data?.issues?.[0]?.message, url).toMatch(/is not an allowed model URL/);
      }
      const key = await (await sessionClient(limited.server.url, user)).account.keys.create.mutate();
      const sm = new SageMakerClient({ endpoint: `${limited.server.url}/api/sagemaker`, region: 'us-east-1', credentials: key, maxAttempts: 1 });
      const refused = await sm.send(new CreateModelCommand({ ModelName: 'sm-metadata', PrimaryContainer: { Image: 'http://169.254.169.254/' } })).catch((e: Error) => e);
      expect(refused).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/is not an allowed model URL \(SLUICE_MODEL_URL_ALLOW=/) });
      const job = await sm
        .send(
          new CreateTransformJobCommand({
            TransformJobName: 'sm-outside',
            ModelName: 'allowed',
            TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 'file:///etc/' } } },
            TransformOutput: { S3OutputPath: 's3://bucket/out/' },
            TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
          }),
        )
        .catch((e: Error) => e);
      expect(job).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/file:\/\/\/etc\/ is outside the file:\/\/ roots/) });
    } finally {
      await limited.stop();
    }
  });
});
