// The caller's own account (tokens, SageMaker keys), team administration and the audit log, over
// real HTTP with a real database.
import { eq } from 'drizzle-orm';
import { DescribeModelCommand, ListModelsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey, findUserByEmail, LOCAL_ACTOR, setUserPassword, sha256Hex } from '@sluice/core';
import { apiTokens, auditLog } from '@sluice/db';
import { failureOf, startTestApi } from '../test-support/api-harness.js';
import { clientWith, makeUser, postJson, signIn, startRequiredApi, tokenClient, type TestUser } from './test-support/auth-harness.js';

let api: Awaited<ReturnType<typeof startRequiredApi>>;
let admin: TestUser;
let adminClient: ReturnType<typeof tokenClient>;

beforeAll(async () => {
  // Jobs here read and write s3://bucket/ (nothing runs them): the operator allowed that bucket.
  api = await startRequiredApi({ auth: { s3Roots: ['s3://bucket/'] } });
  admin = await makeUser(api.core, 'root@example.com', 'lab', 'admin');
  // Signed in to the dashboard: a token may not make more credentials.
  const browser = await signIn(api.url, admin.email, admin.password);
  adminClient = clientWith(api.url, { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken });
});
afterAll(async () => {
  await api?.stop();
});

const sageMaker = (url: string, credentials: { accessKeyId: string; secretAccessKey: string }) => new SageMakerClient({ endpoint: `${url}/api/sagemaker`, region: 'us-east-1', credentials, maxAttempts: 1 });

async function awsFailure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

describe('account.tokens', () => {
  it('shows a new token once, keeps only its SHA-256, lists it without it, and records its last use', async () => {
    const browser = await signIn(api.url, admin.email, admin.password);
    const session = clientWith(api.url, { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken });
    const created = await session.account.tokens.create.mutate({ name: 'laptop' });
    expect(created).toMatchObject({ name: 'laptop', team: 'lab', token: expect.stringMatching(/^slt_[A-Za-z0-9_-]{43}$/), prefix: created.token.slice(0, 8) });
    const [row] = await api.core.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(sha256Hex(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row!.lastUsedAt).toBeNull();

    const listed = (await session.account.tokens.list.query()).find((t) => t.id === created.id)!;
    expect(listed).toEqual({ id: created.id, name: 'laptop', prefix: created.prefix, team: 'lab', createdAt: created.createdAt, lastUsedAt: null, expiresAt: null, revokedAt: null });
    expect(JSON.stringify(await session.account.tokens.list.query())).not.toContain(created.token);

    expect((await tokenClient(api.url, created.token).account.me.query()).user.email).toBe('root@example.com');
    const [used] = await api.core.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(used!.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('refuses a revoked token with a readable message, and says so when revoked twice', async () => {
    const created = await adminClient.account.tokens.create.mutate({ name: 'to-revoke' });
    await adminClient.account.tokens.revoke.mutate({ id: created.id });
    const error = await failureOf(tokenClient(api.url, created.token).models.list.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(error.message).toBe('SLUICE_TOKEN was revoked: create a new one with `sluice tokens create --email you@example.com` (or in the dashboard under Tokens) and set SLUICE_TOKEN');
    const again = await failureOf(adminClient.account.tokens.revoke.mutate({ id: created.id }));
    expect(again.data?.code).toBe('CONFLICT');
  });

  it('refuses an expired token, and revokes the tokens of a user who leaves the team for good', async () => {
    const expiring = await adminClient.account.tokens.create.mutate({ name: 'short', expiresInDays: 1 });
    await api.core.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expiring.id));
    expect((await failureOf(tokenClient(api.url, expiring.token).models.list.query())).message).toMatch(/^SLUICE_TOKEN has expired: create a new one/);

    const leaver = await makeUser(api.core, 'leaver@example.com', 'lab', 'member');
    await adminClient.admin.users.remove.mutate({ email: leaver.email });
    expect((await failureOf(tokenClient(api.url, leaver.token).models.list.query())).message).toMatch(/^SLUICE_TOKEN was revoked/);
    // Coming back does not bring an old (maybe leaked) token back to life.
    await adminClient.admin.users.create.mutate({ email: leaver.email, role: 'member' });
    expect((await failureOf(tokenClient(api.url, leaver.token).models.list.query())).message).toMatch(/^SLUICE_TOKEN was revoked/);
    await adminClient.admin.users.remove.mutate({ email: leaver.email });
  });

  it('refuses to mint tokens or access keys with a token, so revoking a leaked one is enough', async () => {
    const minted = await adminClient.account.tokens.create.mutate({ name: 'ci' });
    const withToken = tokenClient(api.url, minted.token);
    for (const attempt of [withToken.account.tokens.create.mutate({ name: 'offspring' }), withToken.account.keys.create.mutate()]) {
      const error = await failureOf(attempt);
      expect(error.data?.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(/^an? (API token|access key) cannot be created with an API token: a leaked one could otherwise make more that outlive it/);
    }
    expect((await withToken.account.tokens.list.query()).map((t) => t.name)).not.toContain('offspring');
  });

  it('refuses what is not a Sluice token, naming the fix', async () => {
    const error = await failureOf(tokenClient(api.url, 'ghp_somethingelse').models.list.query());
    expect(error.message).toBe('SLUICE_TOKEN is not a Sluice API token (they start with slt_): create one with `sluice tokens create --email you@example.com` (or in the dashboard under Tokens) and set SLUICE_TOKEN');
  });

  it('audits token creation and revocation with the name and prefix, never the token', async () => {
    const created = await adminClient.account.tokens.create.mutate({ name: 'audited' });
    await adminClient.account.tokens.revoke.mutate({ id: created.id });
    const rows = await api.core.db.select().from(auditLog).where(eq(auditLog.target, created.id));
    expect(rows.map((r) => [r.action, r.actor, r.team, r.fields])).toEqual([
      ['token.create', 'root@example.com', 'lab', { name: 'audited', prefix: created.prefix }],
      ['token.revoke', 'root@example.com', 'lab', { name: 'audited', prefix: created.prefix }],
    ]);
    expect(JSON.stringify(await api.core.db.select().from(auditLog))).not.toContain(created.token);
  });
});

describe('account.keys', () => {
  it('creates a SageMaker key acting as the user, lists it without the secret, and revokes it', async () => {
    const key = await adminClient.account.keys.create.mutate();
    await adminClient.models.create.mutate({ name: 'keyed', kind: 'http', url: 'http://127.0.0.1:9' });
    expect((await sageMaker(api.url, key).send(new ListModelsCommand({}))).Models?.map((m) => m.ModelName)).toContain('keyed');
    const listed = await adminClient.account.keys.list.query();
    expect(listed.map((k) => k.accessKeyId)).toContain(key.accessKeyId);
    expect(JSON.stringify(listed)).not.toContain(key.secretAccessKey);
    await adminClient.account.keys.revoke.mutate({ accessKeyId: key.accessKeyId });
    expect((await awsFailure(sageMaker(api.url, key).send(new ListModelsCommand({})))).name).toBe('UnrecognizedClientException');
    const audited = await api.core.db.select().from(auditLog).where(eq(auditLog.target, key.accessKeyId));
    expect(audited.map((r) => r.action)).toEqual(['key.create', 'key.revoke']);
    expect(JSON.stringify(audited)).not.toContain(key.secretAccessKey);
  });

  it("refuses the local admin's keys when sign-in is required, saying whose key it is", async () => {
    const key = await createAccessKey(api.core, LOCAL_ACTOR);
    const error = await awsFailure(sageMaker(api.url, key).send(new DescribeModelCommand({ ModelName: 'keyed' })));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toMatch(/belongs to the local admin, who exists only in local mode/);
  });
});

describe('admin.users', () => {
  it('adds a user without a password, who signs in as the role given once the operator sets one', async () => {
    expect(await adminClient.admin.users.create.mutate({ email: 'New.Person@example.com', name: 'New', role: 'member' })).toMatchObject({
      email: 'new.person@example.com',
      team: 'lab',
      role: 'member',
      hasPassword: false,
    });
    expect((await postJson(api.url, '/api/auth/sign-in', { email: 'new.person@example.com', password: 'a long enough password' })).status).toBe(401);
    await setUserPassword(api.core, { email: 'new.person@example.com', password: 'a long enough password' });
    const browser = await signIn(api.url, 'new.person@example.com', 'a long enough password');
    expect(browser.body).toMatchObject({ team: 'lab', role: 'member' });
  });

  it('refuses a member twice, any password from a team admin, and a bad role, each naming the field', async () => {
    expect((await failureOf(adminClient.admin.users.create.mutate({ email: 'new.person@example.com', role: 'viewer' }))).message).toBe(
      "new.person@example.com is already a member of team 'lab'; change their role instead (admin.users.setRole)",
    );
    // A password chosen by one team's admin would let them sign in as the user in every other team.
    await makeUser(api.core, 'elsewhere@example.com', 'other', 'admin');
    for (const email of ['elsewhere@example.com', 'brand.new@example.com']) {
      const password = await failureOf(adminClient.admin.users.create.mutate({ email, role: 'member', password: 'another long password' } as never));
      expect(password.data).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: 'password', message: expect.stringMatching(/^a team admin cannot set a user's password .*sluice users set-password --email E --password-stdin/) }] });
    }
    expect(await findUserByEmail(api.core, 'brand.new@example.com')).toBeUndefined();
    const role = await failureOf(adminClient.admin.users.create.mutate({ email: 'role@example.com', role: 'owner' as 'admin' }));
    expect(role.data?.issues).toEqual([{ path: 'role', message: 'must be admin, member or viewer' }]);
  });

  it('changes a role, which applies to the next request, and never leaves a team without an admin', async () => {
    const member = await makeUser(api.core, 'promoted@example.com', 'lab', 'viewer');
    const client = tokenClient(api.url, member.token);
    expect((await failureOf(client.models.create.mutate({ name: 'not-yet', kind: 'http', url: 'http://127.0.0.1:9' }))).data?.code).toBe('FORBIDDEN');
    await adminClient.admin.users.setRole.mutate({ email: member.email, role: 'member' });
    expect((await client.models.create.mutate({ name: 'now-allowed', kind: 'http', url: 'http://127.0.0.1:9' })).createdBy).toBe('promoted@example.com');

    const lastAdmin = await failureOf(adminClient.admin.users.setRole.mutate({ email: admin.email, role: 'member' }));
    expect(lastAdmin.data?.code).toBe('CONFLICT');
    expect(lastAdmin.message).toBe("root@example.com is the last admin of team 'lab'; make another member admin first");
    expect((await failureOf(adminClient.admin.users.remove.mutate({ email: admin.email }))).data?.code).toBe('CONFLICT');
  });
});

describe('admin.audit.list', () => {
  it('records model and job creation and stops by whoever did them, newest first, filtered and paged', async () => {
    await adminClient.models.create.mutate({ name: 'audited-model', kind: 'http', url: 'http://127.0.0.1:9' });
    await adminClient.jobs.create.mutate({ name: 'audited-job', modelName: 'audited-model', input: { uri: 's3://bucket/in/' }, output: { uri: 's3://bucket/out/' } });
    await adminClient.jobs.stop.mutate({ name: 'audited-job' });
    await adminClient.models.delete.mutate({ name: 'audited-model' });
    const page = await adminClient.admin.audit.list.query({ limit: 4 });
    expect(page.items.map((e) => [e.action, e.target, e.actor])).toEqual([
      ['model.delete', 'audited-model', 'root@example.com'],
      ['job.stop', 'audited-job', 'root@example.com'],
      ['job.create', 'audited-job', 'root@example.com'],
      ['model.create', 'audited-model', 'root@example.com'],
    ]);
    expect(page.items[0]!.ip).toMatch(/127\.0\.0\.1/);
    const next = await adminClient.admin.audit.list.query({ limit: 4, cursor: page.nextCursor! });
    expect(next.items[0]!.id).toBeLessThan(page.items[3]!.id);
    expect((await adminClient.admin.audit.list.query({ action: 'job.create' })).items.map((e) => e.target)).toEqual(['audited-job']);
    // Their token was made by the operator (`sluice tokens create`, as makeUser does): audited for them, with `via`.
    expect((await adminClient.admin.audit.list.query({ actor: 'promoted@example.com' })).items.map((e) => [e.action, e.fields?.via])).toEqual([
      ['model.create', undefined],
      ['token.create', 'sluice tokens create'],
    ]);
  });

  it('records sign-ins, and user administration', async () => {
    const actions = (await adminClient.admin.audit.list.query({ limit: 200 })).items.map((e) => `${e.action} ${e.target}`);
    expect(actions).toEqual(expect.arrayContaining(['sign-in root@example.com', 'user.create new.person@example.com', 'user.role promoted@example.com', 'user.remove leaver@example.com']));
  });
});

describe('account.me and the local admin', () => {
  it('answers who is signed in, with every team', async () => {
    await adminClient.admin.users.create.mutate({ email: 'elsewhere@example.com', role: 'viewer' });
    const [elsewhere] = await Promise.all([makeUserToken('elsewhere@example.com', 'lab')]);
    expect(await tokenClient(api.url, elsewhere).account.me.query()).toEqual({
      user: { email: 'elsewhere@example.com', name: null },
      team: 'lab',
      role: 'viewer',
      teams: [
        { name: 'other', role: 'admin' },
        { name: 'lab', role: 'viewer' },
      ],
    });
  });

  it('tells the local admin that tokens are for users', async () => {
    const local = await startTestApi();
    try {
      const error = await failureOf(local.client.account.tokens.create.mutate({ name: 'x' }));
      expect(error.data?.code).toBe('CONFLICT');
      expect(error.message).toMatch(/^the local admin needs no token .*sluice users create --email/);
      expect(await local.client.account.tokens.list.query()).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});

async function makeUserToken(email: string, team: string): Promise<string> {
  const { createApiTokenForUser } = await import('@sluice/core');
  return (await createApiTokenForUser(api.core, { email, team })).token;
}
