// #13 (medium): defaults a multi-team service must not leave open.
// - SLUICE_MODEL_URL_ALLOW was open by default even with sign-in required: a member could point a
//   worker at any internal URL. Now nothing is allowed until the operator sets it (as the file and
//   S3 roots already behave).
// - a model's ping showed the body of a non-200 answer to everyone, viewers included;
// - a job's Environment replaced a model's secret env variables;
// - a job for a pool nobody serves waited for ever.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, makeUser, requiredAuthSettings, startTestApi, tokenClient, type TestApi } from '@sluice/api/test-support';

type Client = ReturnType<typeof tokenClient>;

let api: TestApi;
let closed: TestApi;
let internal: Server;
let internalUrl: string;
let admin: Client, viewer: Client, member: Client;

const INTERNAL_PAGE = 'db-admin: connection string postgres://root:hunter2@10.0.0.5/prod';

beforeAll(async () => {
  // An internal service that answers /ping with an error page holding something private.
  internal = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end(INTERNAL_PAGE);
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as { port: number }).port}`;
  [api, closed] = await Promise.all([
    startTestApi({ settings: requiredAuthSettings({ secretKey: 'a-test-secret-key-of-32-characters-or-more', auth: { s3Roots: ['s3://'] } }) }),
    // Sign-in required and SLUICE_MODEL_URL_ALLOW left unset: the default a deployment gets.
    startTestApi({ settings: requiredAuthSettings({ auth: { modelUrlAllow: null } }) }),
  ]);
  const users = await Promise.all([makeUser(api.core, 'admin@example.com', 'team-a', 'admin'), makeUser(api.core, 'viewer@example.com', 'team-a', 'viewer'), makeUser(api.core, 'member@example.com', 'team-a', 'member')]);
  [admin, viewer, member] = users.map((u) => tokenClient(api.url, u.token)) as [Client, Client, Client];
});
afterAll(async () => {
  await Promise.all([api?.stop(), closed?.stop()]);
  internal?.close();
});

describe('model URLs', () => {
  it('are all refused in required mode until SLUICE_MODEL_URL_ALLOW names them', async () => {
    const user = await makeUser(closed.core, 'm@example.com', 'team-a', 'admin');
    const error = await failureOf(tokenClient(closed.url, user.token).models.create.mutate({ name: 'metadata', kind: 'http', url: 'http://169.254.169.254/latest' }));
    expect(error.message).toContain('http://169.254.169.254/latest is not an allowed model URL (SLUICE_MODEL_URL_ALLOW is not set, so no http model URL may be used when sign-in is required)');
  });
});

describe("a model's ping", () => {
  it("shows a failing answer's body to members, and only its status to viewers", async () => {
    await admin.models.create.mutate({ name: 'internal', kind: 'http', url: internalUrl });
    const seenByMember = await member.models.ping.mutate({ name: 'internal' });
    expect(seenByMember.message).toContain(INTERNAL_PAGE);
    const seenByViewer = await viewer.models.ping.mutate({ name: 'internal' });
    expect(seenByViewer).toMatchObject({ ok: false, status: 503 });
    expect(seenByViewer.message).toBe(`GET ${internalUrl}/ping answered 503 (its body is shown to members and admins)`);
  });
});

describe("a job's Environment", () => {
  it("cannot set a model's secret env variable", async () => {
    await admin.models.create.mutate({ name: 'llm', kind: 'command', command: 'serve', secretEnv: { API_KEY: 'the-real-key' }, env: { BASE_URL: 'https://api.example.com' } });
    const error = await failureOf(member.jobs.create.mutate({ name: 'steal', modelName: 'llm', input: { uri: 's3://bucket-a/in/' }, output: { uri: 's3://bucket-a/out/' }, environment: { API_KEY: 'attacker' } }));
    expect(error.message).toContain("environment.API_KEY: is a secret env variable of model 'llm' and cannot be set by a job");
  });
});

describe('pools', () => {
  it('refuses a job for a pool nobody serves, listing the ones that are', async () => {
    const error = await failureOf(member.jobs.create.mutate({ name: 'lost', modelName: 'internal', input: { uri: 's3://bucket-a/in/' }, output: { uri: 's3://bucket-a/out/' }, pool: 'gpu-nobody' }));
    expect(error.message).toContain("no worker serves the pool 'gpu-nobody', and it is not one of SLUICE_JOB_POOLS: use one of 'default'");
  });
});
