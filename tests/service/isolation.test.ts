// Teams never see or change each other's work. Team B's admin calls EVERY procedure of the API (and
// every SageMaker action with a team-B key) on team A's models, jobs, logs, metrics, comparisons,
// tokens, keys and users; the list of procedures is read from the router at run time, so a new
// procedure without a case here fails this file. Then the roles: viewers change nothing, members
// administer nothing.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  DeleteModelCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  ListModelsCommand,
  ListTransformJobsCommand,
  SageMakerClient,
  StopTransformJobCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, SAGEMAKER_ACTIONS, SAGEMAKER_WRITE_ACTIONS } from '@sluice/api';
import { failureOf, makeUser, requiredAuthSettings, sessionClient, tokenClient, type TestUser } from '@sluice/api/test-support';
import { createApiTokenForUser } from '@sluice/core';
import { startTestService } from '@sluice/test-service';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';

type Client = ReturnType<typeof tokenClient>;

let api: Awaited<ReturnType<typeof startTestService>>;
let upper: RunningModelServer;
let slow: RunningModelServer;
let dir: Awaited<ReturnType<typeof tempDir>>;
let aAdmin: TestUser, aMember: TestUser, aViewer: TestUser, bAdmin: TestUser;
let a: Client, b: Client, member: Client, viewer: Client;
let aKey: { accessKeyId: string; secretAccessKey: string };
let bKey: { accessKeyId: string; secretAccessKey: string };

const uri = (team: string, path: string) => `file://${dir.path}/${team}/${path}`;
const LINES = { splitType: 'Line', assembleWith: 'Line' } as const;

beforeAll(async () => {
  [upper, slow, dir] = await Promise.all([startModelServer('upper'), startModelServer('latency', { FIXED_LATENCY_MS: '60000' }), tempDir('sluice-isolation')]);
  // Each team gets its own folder through the API: file:///<dir>/{team}/.
  api = await startTestService({ settings: requiredAuthSettings({ auth: { fileRoots: [`file://${dir.path}/{team}/`] } }) });
  aAdmin = await makeUser(api.core, 'a-admin@example.com', 'team-a', 'admin');
  aMember = await makeUser(api.core, 'a-member@example.com', 'team-a', 'member');
  aViewer = await makeUser(api.core, 'a-viewer@example.com', 'team-a', 'viewer');
  bAdmin = await makeUser(api.core, 'b-admin@example.com', 'team-b', 'admin');
  // Signed in as the dashboard is: such requests may also make tokens and keys (tokens may not).
  [a, b, member, viewer] = await Promise.all([sessionClient(api.url, aAdmin), sessionClient(api.url, bAdmin), sessionClient(api.url, aMember), sessionClient(api.url, aViewer)]);

  await mkdir(join(dir.path, 'team-a', 'in'), { recursive: true });
  await mkdir(join(dir.path, 'team-b'), { recursive: true });
  await writeFile(join(dir.path, 'team-a', 'in', 'a.txt'), 'one\ntwo\nthree\n');
  await a.models.create.mutate({ name: 'm-a', kind: 'http', url: upper.url });
  await a.models.create.mutate({ name: 'slow-a', kind: 'http', url: slow.url });
  for (const name of ['job-a', 'job-a2']) await a.jobs.create.mutate({ name, modelName: 'm-a', input: { uri: uri('team-a', 'in/') }, output: { uri: uri('team-a', `out/${name}/`) }, transform: LINES });
  await until(async () => (await a.jobs.list.query({ status: ['Completed'] })).items.length === 2, 'job-a and job-a2 to complete');
  await a.jobs.create.mutate({ name: 'job-slow', modelName: 'slow-a', input: { uri: uri('team-a', 'in/') }, output: { uri: uri('team-a', 'out/slow/') }, transform: LINES });
  await a.comparisons.create.mutate({ name: 'cmp-a', jobs: ['job-a', 'job-a2'] });
  aKey = await a.account.keys.create.mutate();
  bKey = await b.account.keys.create.mutate();
  await b.models.create.mutate({ name: 'm-b', kind: 'http', url: upper.url });
  // The slow job's task is running on the worker by the time team B looks at the fleet.
  await until(async () => (await a.workers.list.query()).some((w) => w.currentTasks.some((t) => t.jobName === 'job-slow')), "job-slow's task to run");
}, 120_000);
afterAll(async () => {
  await a?.jobs.stop.mutate({ name: 'job-slow' }).catch(() => undefined);
  await api?.stop();
  await Promise.all([upper?.stop(), slow?.stop()]);
  await dir?.remove();
});

/** Polls `check` (hooks cannot use expect.poll) until it holds, or fails naming what it waited for. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function notFound(call: Promise<unknown>, message?: RegExp): Promise<void> {
  const error = await failureOf(call);
  expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
  if (message) expect(error.message).toMatch(message);
}

async function badRequest(call: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await failureOf(call);
  expect(error.data).toMatchObject({ code: 'BAD_REQUEST' });
  expect(error.message).toMatch(message);
}

/** Team A's view of its job is as it was: B's attempt changed nothing. */
async function jobUnchanged(name: string, status: string): Promise<void> {
  expect(await a.jobs.describe.query({ name })).toMatchObject({ name, status, run: 1, createdBy: 'a-admin@example.com' });
}

/** One case per procedure: team B's admin on team A's things. */
const CASES: Record<string, () => Promise<void>> = {
  'models.create': async () => {
    // Names are per team: B's model of the same name is B's alone, and A's stays as it was.
    await b.models.create.mutate({ name: 'm-a', kind: 'http', url: 'http://127.0.0.1:9' });
    expect(await a.models.get.query({ name: 'm-a' })).toMatchObject({ url: upper.url, createdBy: 'a-admin@example.com' });
    await b.models.delete.mutate({ name: 'm-a' });
    expect(await a.models.get.query({ name: 'm-a' })).toMatchObject({ url: upper.url });
  },
  'models.get': () => notFound(b.models.get.query({ name: 'm-a' }), /no model named 'm-a'/),
  'models.list': async () => expect((await b.models.list.query()).map((m) => m.name)).toEqual(['m-b']),
  'models.delete': async () => {
    await notFound(b.models.delete.mutate({ name: 'm-a' }));
    expect((await a.models.get.query({ name: 'm-a' })).name).toBe('m-a');
  },
  'models.ping': () => notFound(b.models.ping.mutate({ name: 'm-a' })),
  'jobs.create': async () => {
    await badRequest(b.jobs.create.mutate({ name: 'b-job', modelName: 'm-a', input: { uri: uri('team-b', 'in/') }, output: { uri: uri('team-b', 'out/') } }), /^Could not find model 'm-a'/);
    await badRequest(b.jobs.create.mutate({ name: 'b-job', modelName: 'm-b', input: { uri: uri('team-a', 'in/') }, output: { uri: uri('team-b', 'out/') } }), /team-a\/in\/ is outside the file:\/\/ roots .*SLUICE_FILE_ROOTS/);
  },
  'jobs.describe': () => notFound(b.jobs.describe.query({ name: 'job-a' }), /no transform job named 'job-a'/),
  'jobs.list': async () => {
    expect((await b.jobs.list.query()).items).toEqual([]);
    expect((await b.jobs.list.query({ createdBy: 'a-admin@example.com' })).items).toEqual([]);
  },
  'jobs.stop': async () => {
    await notFound(b.jobs.stop.mutate({ name: 'job-slow' }));
    await jobUnchanged('job-slow', 'InProgress');
  },
  'jobs.retryFailed': () => notFound(b.jobs.retryFailed.mutate({ name: 'job-a' })),
  'jobs.clone': async () => {
    await notFound(b.jobs.clone.mutate({ name: 'job-a', newName: 'stolen' }));
    await notFound(a.jobs.describe.query({ name: 'stolen' }));
  },
  'jobs.objects': () => notFound(b.jobs.objects.query({ name: 'job-a' })),
  'jobs.previewInput': () => badRequest(b.jobs.previewInput.query({ uri: uri('team-a', 'in/'), splitType: 'Line' }), /outside the file:\/\/ roots/),
  'jobs.previewRecords': () => notFound(b.jobs.previewRecords.query({ name: 'job-a' })),
  'logs.list': () => notFound(b.logs.list.query({ name: 'job-a' })),
  'metrics.get': () => notFound(b.metrics.get.query({ name: 'job-a' })),
  'workers.list': async () => {
    // The fleet is shared; what it runs for team A is not shown to team B.
    const seenByB = await b.workers.list.query();
    expect(seenByB.length).toBeGreaterThan(0);
    expect(seenByB.flatMap((w) => w.currentTasks)).toEqual([]);
    expect((await a.workers.list.query()).flatMap((w) => w.currentTasks.map((t) => t.jobName))).toContain('job-slow');
  },
  'comparisons.create': async () => {
    await notFound(b.comparisons.create.mutate({ name: 'cmp-b', jobs: ['job-a', 'job-a2'] }), /no transform job named 'job-a', 'job-a2'/);
  },
  'comparisons.describe': () => notFound(b.comparisons.describe.query({ name: 'cmp-a' })),
  'comparisons.list': async () => expect((await b.comparisons.list.query()).items).toEqual([]),
  'account.me': async () => expect(await b.account.me.query()).toEqual({ user: { email: 'b-admin@example.com', name: null }, team: 'team-b', role: 'admin', teams: [{ name: 'team-b', role: 'admin' }] }),
  'account.tokens.list': async () => {
    const tokens = await b.account.tokens.list.query();
    expect(tokens.map((t) => t.id)).toContain(bAdmin.tokenId);
    expect(tokens.map((t) => t.id)).not.toContain(aAdmin.tokenId);
    expect(new Set(tokens.map((t) => t.team))).toEqual(new Set(['team-b']));
  },
  'account.tokens.create': async () => {
    const created = await b.account.tokens.create.mutate({ name: 'b-second' });
    await notFound(tokenClient(api.url, created.token).models.get.query({ name: 'm-a' }));
    expect((await a.account.tokens.list.query()).map((t) => t.id)).not.toContain(created.id);
  },
  'account.tokens.revoke': async () => {
    await notFound(b.account.tokens.revoke.mutate({ id: aAdmin.tokenId }));
    expect((await a.models.get.query({ name: 'm-a' })).name).toBe('m-a');
  },
  'account.keys.list': async () => {
    const keys = await b.account.keys.list.query();
    expect(keys.map((k) => k.accessKeyId)).toContain(bKey.accessKeyId);
    expect(keys.map((k) => k.accessKeyId)).not.toContain(aKey.accessKeyId);
    expect(new Set(keys.map((k) => `${k.user} ${k.team}`))).toEqual(new Set(['b-admin@example.com team-b']));
  },
  'account.keys.create': async () => {
    const key = await b.account.keys.create.mutate();
    expect((await a.account.keys.list.query()).map((k) => k.accessKeyId)).toEqual([aKey.accessKeyId]);
    const names = (await sageMakerAs(key).send(new ListModelsCommand({}))).Models?.map((m) => m.ModelName);
    expect(names).toEqual(['m-b']);
  },
  'account.keys.revoke': async () => {
    await notFound(b.account.keys.revoke.mutate({ accessKeyId: aKey.accessKeyId }));
    expect((await sageMakerAs(aKey).send(new DescribeModelCommand({ ModelName: 'm-a' }))).ModelName).toBe('m-a');
  },
  'admin.users.list': async () => expect((await b.admin.users.list.query()).map((u) => u.email)).toEqual(['b-admin@example.com']),
  'admin.users.create': async () => {
    // B can invite A's viewer into team B; that grants nothing in team A.
    expect(await b.admin.users.create.mutate({ email: 'a-viewer@example.com', role: 'admin' })).toMatchObject({ team: 'team-b', role: 'admin' });
    expect((await a.admin.users.list.query()).find((u) => u.email === 'a-viewer@example.com')).toMatchObject({ team: 'team-a', role: 'viewer' });
    const inB = tokenClient(api.url, (await createApiTokenForUser(api.core, { email: 'a-viewer@example.com', team: 'team-b' })).token);
    await notFound(inB.models.get.query({ name: 'm-a' }));
    expect((await inB.models.list.query()).map((m) => m.name)).toEqual(['m-b']);
    await b.admin.users.remove.mutate({ email: 'a-viewer@example.com' });
  },
  'admin.users.setRole': async () => {
    await notFound(b.admin.users.setRole.mutate({ email: 'a-member@example.com', role: 'viewer' }), /no member a-member@example.com in team 'team-b'/);
    expect((await a.admin.users.list.query()).find((u) => u.email === 'a-member@example.com')?.role).toBe('member');
  },
  'admin.users.remove': async () => {
    await notFound(b.admin.users.remove.mutate({ email: 'a-member@example.com' }));
    expect((await member.models.get.query({ name: 'm-a' })).name).toBe('m-a');
  },
  'admin.audit.list': async () => {
    const seen = (await b.admin.audit.list.query({ limit: 200 })).items;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((e) => e.target)).not.toContain('job-a');
    expect(seen.map((e) => e.actor)).not.toContain('a-admin@example.com');
  },
};

function sageMakerAs(key: { accessKeyId: string; secretAccessKey: string }): SageMakerClient {
  return new SageMakerClient({ endpoint: `${api.url}/api/sagemaker`, region: 'us-east-1', credentials: key, maxAttempts: 1 });
}

/** Every procedure of the API by its path (`jobs.create`), with what it declares. */
const DEFINITIONS = appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { access?: string } } }>;
const PROCEDURES = Object.keys(DEFINITIONS).sort();

describe("team B's admin calls every procedure on team A's things", () => {
  it('has a case for every procedure of the API', () => {
    expect(PROCEDURES.filter((p) => !(p in CASES))).toEqual([]);
  });

  it.each(PROCEDURES)('%s', async (procedure) => {
    const run = CASES[procedure];
    if (!run) throw new Error(`no cross-team case for ${procedure}: add one to CASES so teams stay apart`);
    await run();
  });
});

/** One case per SageMaker action: a key of team B's admin on team A's models and jobs. */
const SAGEMAKER_CASES: Record<string, (sm: SageMakerClient) => Promise<void>> = {
  CreateModel: async (sm) => {
    await sm.send(new CreateModelCommand({ ModelName: 'm-a', PrimaryContainer: { Image: 'http://127.0.0.1:9' } }));
    expect(await a.models.get.query({ name: 'm-a' })).toMatchObject({ url: upper.url });
    await sm.send(new DeleteModelCommand({ ModelName: 'm-a' }));
  },
  DescribeModel: async (sm) => expect((await failureOfAws(sm.send(new DescribeModelCommand({ ModelName: 'm-a' })))).name).toBe('ResourceNotFound'),
  ListModels: async (sm) => expect((await sm.send(new ListModelsCommand({}))).Models?.map((m) => m.ModelName)).toEqual(['m-b']),
  DeleteModel: async (sm) => {
    expect((await failureOfAws(sm.send(new DeleteModelCommand({ ModelName: 'm-a' })))).name).toBe('ResourceNotFound');
    expect((await a.models.get.query({ name: 'm-a' })).name).toBe('m-a');
  },
  CreateTransformJob: async (sm) => {
    const error = await failureOfAws(
      sm.send(
        new CreateTransformJobCommand({
          TransformJobName: 'b-job',
          ModelName: 'm-a',
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri('team-b', 'in/') } } },
          TransformOutput: { S3OutputPath: uri('team-b', 'out/') },
          TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^Could not find model 'm-a'/);
  },
  DescribeTransformJob: async (sm) => expect((await failureOfAws(sm.send(new DescribeTransformJobCommand({ TransformJobName: 'job-a' })))).name).toBe('ResourceNotFound'),
  ListTransformJobs: async (sm) => expect((await sm.send(new ListTransformJobsCommand({}))).TransformJobSummaries).toEqual([]),
  StopTransformJob: async (sm) => {
    expect((await failureOfAws(sm.send(new StopTransformJobCommand({ TransformJobName: 'job-slow' })))).name).toBe('ResourceNotFound');
    await jobUnchanged('job-slow', 'InProgress');
  },
};

async function failureOfAws(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

describe("a key of team B's admin calls every SageMaker action on team A's things", () => {
  const ACTIONS = Object.keys(SAGEMAKER_ACTIONS).sort();

  it('has a case for every action', () => {
    expect(ACTIONS.filter((action) => !(action in SAGEMAKER_CASES))).toEqual([]);
  });

  it.each(ACTIONS)('%s', async (action) => {
    const run = SAGEMAKER_CASES[action];
    if (!run) throw new Error(`no cross-team case for SageMaker ${action}: add one to SAGEMAKER_CASES`);
    await run(sageMakerAs(bKey));
  });
});

/** Calls `procedure` (e.g. `jobs.create`) on `client` with `input`, as a query or a mutation. */
function call(client: Client, procedure: string, input: unknown): Promise<unknown> {
  const path = procedure.split('.');
  let node = client as unknown as Record<string, unknown>;
  for (const part of path) node = node[part] as Record<string, unknown>;
  const type = DEFINITIONS[procedure]!._def.type;
  return (node[type === 'query' ? 'query' : 'mutate'] as (i: unknown) => Promise<unknown>)(input);
}

const accessOf = (procedure: string) => DEFINITIONS[procedure]!._def.meta?.access;

describe('roles', () => {
  const WRITE = PROCEDURES.filter((p) => accessOf(p) === 'write');
  const ADMIN = PROCEDURES.filter((p) => accessOf(p) === 'admin');

  it("declares every mutation a write or admin procedure, but those on the caller's own tokens and keys and the ping", () => {
    const mutations = PROCEDURES.filter((p) => DEFINITIONS[p]!._def.type === 'mutation');
    expect(mutations.filter((p) => !accessOf(p))).toEqual(['account.keys.create', 'account.keys.revoke', 'account.tokens.create', 'account.tokens.revoke', 'models.ping']);
    expect(WRITE).toEqual(expect.arrayContaining(['jobs.create', 'jobs.stop', 'jobs.retryFailed', 'jobs.clone', 'models.create', 'models.delete', 'comparisons.create']));
  });

  it.each(WRITE)('a viewer gets FORBIDDEN from %s', async (procedure) => {
    const error = await failureOf(call(viewer, procedure, { name: 'job-a' }));
    expect(error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, appCode: 'FORBIDDEN' });
    expect(error.message).toBe("viewers cannot change anything in team 'team-a': this needs the member or admin role (ask a team admin)");
  });

  it.each(ADMIN)('a member gets FORBIDDEN from %s', async (procedure) => {
    const error = await failureOf(call(member, procedure, { email: 'a-viewer@example.com', role: 'admin' }));
    expect(error.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    expect(error.message).toBe("only admins of team 'team-a' can do this; your role there is member (ask a team admin)");
  });

  it('lets a viewer read everything of the team, and a member run jobs', async () => {
    expect((await viewer.jobs.describe.query({ name: 'job-a' })).status).toBe('Completed');
    expect((await viewer.logs.list.query({ name: 'job-a' })).items.length).toBeGreaterThan(0);
    expect((await viewer.comparisons.describe.query({ name: 'cmp-a' })).name).toBe('cmp-a');
    const cloned = await member.jobs.clone.mutate({ name: 'job-a', newName: 'member-clone', overrides: { output: { uri: uri('team-a', 'out/member-clone/') } } });
    expect(cloned.createdBy).toBe('a-member@example.com');
    expect((await a.jobs.list.query({ createdBy: 'a-member@example.com' })).items.map((j) => j.name)).toEqual(['member-clone']);
  });

  it("refuses a viewer's key the SageMaker actions that change something, and lets it read", async () => {
    const sm = sageMakerAs(await viewer.account.keys.create.mutate());
    expect([...SAGEMAKER_WRITE_ACTIONS].sort()).toEqual(['CreateModel', 'CreateTransformJob', 'DeleteModel', 'StopTransformJob']);
    for (const command of [new DeleteModelCommand({ ModelName: 'm-a' }), new StopTransformJobCommand({ TransformJobName: 'job-slow' }), new CreateModelCommand({ ModelName: 'v', PrimaryContainer: { Image: 'http://127.0.0.1:9' } })]) {
      const error = await failureOfAws(sm.send(command as never));
      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toMatch(/^viewers cannot change anything in team 'team-a'/);
    }
    expect((await sm.send(new DescribeModelCommand({ ModelName: 'm-a' }))).ModelName).toBe('m-a');
  });
});
