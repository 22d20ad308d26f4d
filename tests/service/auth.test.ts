// Sign-in end to end with the real pieces: a service that requires sign-in, a worker process, the
// `sluice` binary for administration, the SDK with SLUICE_TOKEN, and a command model that is given
// a secret env value no view, log, job row or audit entry may show.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '@sluice/api';
import { DEFAULT_AUTH_SETTINGS, openCore, type Core } from '@sluice/core';
import { apiTokens } from '@sluice/db';
import { SluiceClient, SluiceError } from '@sluice/sdk';
import { referenceModelCommand, tempDir } from '@sluice/testkit';
import { startService, type TestService } from '../support/service.js';

const SLUICE = fileURLToPath(new URL('../../apps/cli/bin/sluice.js', import.meta.url));
const SECRET_KEY = 'the-service-secret-key-32-characters-or-more';
const SECRET = 'sk-live-4d1e2f9a8b7c';

let service: TestService;
let core: Core & { close(): Promise<void> };
let server: RunningApiServer;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('sluice-auth-e2e');
  // The worker process opens secret env values with the same key the service sealed them with.
  service = await startService({ workers: 1, env: { SLUICE_SECRET_KEY: SECRET_KEY } });
  core = await openCore({ databaseUrl: service.database.url, settings: { secretKey: SECRET_KEY, auth: { ...DEFAULT_AUTH_SETTINGS, mode: 'required', fileRoots: [`file://${dir.path}/`] } } });
  server = await startApiServer({ core, port: 0 });
  await mkdir(join(dir.path, 'in'), { recursive: true });
  await writeFile(join(dir.path, 'in', 'a.txt'), 'one\ntwo\n');
}, 120_000);
afterAll(async () => {
  await server?.close();
  await core?.close();
  await service?.stop();
  await dir?.remove();
});

function sluice(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: service.database.url, SLUICE_URL: server.url };
    delete env.SLUICE_TOKEN;
    const child = spawn(process.execPath, [SLUICE, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function sdkFailure(call: Promise<unknown>): Promise<SluiceError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof SluiceError) return error;
    throw error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

let adminToken: { id: string; token: string };
let memberToken: { token: string };

describe('tokens made with the CLI, used by the SDK', () => {
  it('creates users and tokens with `sluice`, and the SDK works as each user', async () => {
    expect((await sluice(['users', 'create', '--email', 'lead@example.com', '--team', 'ml', '--role', 'admin', '--password-stdin'], 'a long enough password\n')).code).toBe(0);
    expect((await sluice(['users', 'create', '--email', 'dev@example.com', '--team', 'ml', '--role', 'member'])).code).toBe(0);
    adminToken = JSON.parse((await sluice(['tokens', 'create', '--email', 'lead@example.com', '--json'])).stdout) as typeof adminToken;
    memberToken = JSON.parse((await sluice(['tokens', 'create', '--email', 'dev@example.com', '--json'])).stdout) as typeof memberToken;

    const lead = new SluiceClient({ url: server.url, token: adminToken.token });
    expect(await lead.account.me()).toMatchObject({ user: { email: 'lead@example.com' }, team: 'ml', role: 'admin' });
    await lead.models.create({ name: 'upper', kind: 'command', command: referenceModelCommand('upper'), startupTimeoutSeconds: 20 });
    const [row] = await core.db.select().from(apiTokens).where(eq(apiTokens.id, adminToken.id));
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it("shows who ran what in the team's job history", async () => {
    const job = (name: string) => ({ name, modelName: 'upper', input: { uri: `file://${dir.path}/in/` }, output: { uri: `file://${dir.path}/out/${name}/` }, transform: { splitType: 'Line' as const, assembleWith: 'Line' as const } });
    const lead = new SluiceClient({ url: server.url, token: adminToken.token });
    const dev = new SluiceClient({ url: server.url, token: memberToken.token });
    await lead.jobs.create(job('by-lead'));
    await dev.jobs.create(job('by-dev'));
    expect((await lead.jobs.list()).items.map((j) => [j.name, j.createdBy])).toEqual([
      ['by-dev', 'dev@example.com'],
      ['by-lead', 'lead@example.com'],
    ]);
    expect((await dev.jobs.describe({ name: 'by-lead' })).createdBy).toBe('lead@example.com');
    await expect.poll(async () => (await dev.jobs.describe({ name: 'by-dev' })).status, { timeout: 60_000, interval: 250 }).toBe('Completed');
  });

  it('rejects with readable UNAUTHORIZED errors: no token, then a token revoked with `sluice tokens revoke`', async () => {
    const anonymous = await sdkFailure(new SluiceClient({ url: server.url, token: '' }).models.list());
    expect(anonymous.code).toBe('UNAUTHORIZED');
    expect(anonymous.message).toBe(`SLUICE_TOKEN is not set and the service at ${server.url} requires sign-in: create a token with \`sluice tokens create --email you@example.com\` and pass it as the \`token\` option or SLUICE_TOKEN`);
    expect((await sluice(['tokens', 'revoke', adminToken.id])).code).toBe(0);
    const revoked = await sdkFailure(new SluiceClient({ url: server.url, token: adminToken.token }).models.list());
    expect(revoked.code).toBe('UNAUTHORIZED');
    expect(revoked.message).toMatch(/^SLUICE_TOKEN was revoked: create a new one with `sluice tokens create --email/);
  });
});

describe('secret model env', () => {
  it("gives the secret to the model's process and to nothing else: not views, logs, job rows, audit or the worker's output", async () => {
    const seen = join(dir.path, 'seen-key');
    const dev = new SluiceClient({ url: server.url, token: memberToken.token });
    const model = await dev.models.create({
      name: 'secretive',
      kind: 'command',
      // Also writes what it inherited from the worker, which must not include the worker's own credentials.
      command: `printf %s "$API_KEY" > '${seen}' && env > '${seen}.env' && ${referenceModelCommand('upper')}`,
      secretEnv: { API_KEY: SECRET },
      startupTimeoutSeconds: 20,
    });
    expect(model.secretEnv).toEqual({ API_KEY: '••••' });
    await dev.jobs.create({ name: 'uses-secret', modelName: 'secretive', input: { uri: `file://${dir.path}/in/` }, output: { uri: `file://${dir.path}/out/secret/` }, transform: { splitType: 'Line', assembleWith: 'Line' } });
    await expect.poll(async () => (await dev.jobs.describe({ name: 'uses-secret' })).status, { timeout: 60_000, interval: 250 }).toBe('Completed');
    expect(await readFile(join(dir.path, 'out', 'secret', 'a.txt.out'), 'utf8')).toBe('ONE\nTWO\n');
    expect(await readFile(seen, 'utf8')).toBe(SECRET);
    const inherited = new Set((await readFile(`${seen}.env`, 'utf8')).split('\n').map((line) => line.split('=', 1)[0]));
    for (const name of ['DATABASE_URL', 'SLUICE_SECRET_KEY']) expect(inherited.has(name), `${name} reached the model's process`).toBe(false);
    expect(inherited.has('PATH') && inherited.has('API_KEY')).toBe(true);

    const shown = JSON.stringify([await dev.models.get({ name: 'secretive' }), await dev.models.list(), await dev.jobs.describe({ name: 'uses-secret' }), await dev.logs.list({ name: 'uses-secret', limit: 1000 })]);
    expect(shown).not.toContain(SECRET);
    for (const table of ['models', 'transform_jobs', 'job_logs', 'audit_log', 'tasks', 'job_objects']) {
      const rows = await core.db.execute(sql.raw(`select * from ${table}`));
      expect(JSON.stringify(rows), table).not.toContain(SECRET);
    }
    expect(service.workers[0]!.output()).not.toContain(SECRET);
  });
});
