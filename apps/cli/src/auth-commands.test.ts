// The administration commands (users, tokens, keys) against a real database, and the client
// commands with SLUICE_TOKEN against a service that requires sign-in: the real `sluice` binary.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_SETTINGS } from '@sluice/core';
import { accessKeys, apiTokens } from '@sluice/db';
import { startTestService } from '@sluice/test-service';
import { tempDir } from '@sluice/testkit';

const SLUICE = fileURLToPath(new URL('../bin/sluice.js', import.meta.url));
const PASSWORD = 'a password long enough';

let service: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  // Model servers in tests listen on loopback ports chosen at run time: any model URL is allowed.
  service = await startTestService({ worker: false, settings: { auth: { ...DEFAULT_AUTH_SETTINGS, mode: 'required', modelUrlAllow: ['*'] } } });
});
afterAll(async () => {
  await service?.stop();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real binary, with `stdin` piped in, against the test service and its database. */
function sluice(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: service.databaseUrl, SLUICE_URL: service.url, ...options.env };
    if (options.env?.SLUICE_TOKEN === undefined) delete env.SLUICE_TOKEN;
    const child = spawn(process.execPath, [SLUICE, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sluice users', () => {
  it('creates an admin whose password comes from stdin, and who can then sign in with it', async () => {
    const run = await sluice(['users', 'create', '--email', 'Ada@Example.com', '--team', 'research', '--role', 'admin', '--name', 'Ada', '--password-stdin'], { stdin: `${PASSWORD}\n` });
    expect(run).toMatchObject({ code: 0, stdout: "Added ada@example.com to team 'research' as admin (signs in with a password)\n" });
    const signIn = await fetch(`${service.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }) });
    expect(signIn.status).toBe(200);
  });

  it('names what is wrong with a bad role or an empty stdin', async () => {
    const role = await sluice(['users', 'create', '--email', 'b@example.com', '--team', 'research', '--role', 'owner']);
    expect(role).toMatchObject({ code: 2, stderr: 'sluice: role: must be admin, member or viewer\n' });
    const empty = await sluice(['users', 'create', '--email', 'b@example.com', '--team', 'research', '--role', 'member', '--password-stdin']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/--password-stdin: stdin was empty/);
  });

  it('lists users with their teams and roles', async () => {
    expect((await sluice(['users', 'create', '--email', 'viewer@example.com', '--team', 'research', '--role', 'viewer'])).code).toBe(0);
    const run = await sluice(['users', 'list', '--team', 'research']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual(
      expect.arrayContaining([
        ['EMAIL', 'TEAM', 'ROLE', 'PASSWORD'],
        ['ada@example.com', 'research', 'admin', 'yes'],
        ['viewer@example.com', 'research', 'viewer', 'no'],
      ]),
    );
    const json = JSON.parse((await sluice(['users', 'list', '--json'])).stdout) as Array<{ email: string; role: string }>;
    expect(json.map((u) => `${u.email} ${u.role}`)).toEqual(['ada@example.com admin', 'viewer@example.com viewer']);
  });

  it('sets the password of a user added without one, and names a user that does not exist', async () => {
    const set = await sluice(['users', 'set-password', '--email', 'Viewer@example.com', '--password-stdin'], { stdin: `${PASSWORD}\n` });
    expect(set).toMatchObject({ code: 0, stdout: 'Set the password of viewer@example.com; ended 0 sessions, revoked 0 API tokens and 0 access keys\n' });
    const signIn = await fetch(`${service.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@example.com', password: PASSWORD }) });
    expect(signIn.status).toBe(200);
    const nobody = await sluice(['users', 'set-password', '--email', 'nobody@example.com', '--password-stdin'], { stdin: PASSWORD });
    expect(nobody).toMatchObject({ code: 1, stderr: 'sluice: no user with the email nobody@example.com: add them first with `sluice users create --email nobody@example.com --team T --role R`\n' });
  });

  it('disables an account (no sign-in, its tokens refused) and enables it again', async () => {
    const token = (JSON.parse((await sluice(['tokens', 'create', '--email', 'viewer@example.com', '--json'])).stdout) as { token: string }).token;
    const asViewer = () => fetch(`${service.url}/api/trpc/models.list`, { headers: { authorization: `Bearer ${token}` } });
    const signIn = () => fetch(`${service.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@example.com', password: PASSWORD }) });
    expect((await asViewer()).status).toBe(200);
    expect(await sluice(['users', 'disable', '--email', 'viewer@example.com'])).toMatchObject({ code: 0, stdout: 'Disabled viewer@example.com\n' });
    expect((await asViewer()).status).toBe(401);
    expect((await signIn()).status).toBe(401);
    expect(await sluice(['users', 'enable', '--email', 'viewer@example.com'])).toMatchObject({ code: 0, stdout: 'Enabled viewer@example.com\n' });
    expect((await asViewer()).status).toBe(200);
    expect((await signIn()).status).toBe(200);
  });
});

describe('sluice tokens, and SLUICE_TOKEN in client commands', () => {
  let token: { id: string; token: string; prefix: string; team: string; email: string };

  it('creates a token printed once (stored as its hash) that client commands then use', async () => {
    const run = await sluice(['tokens', 'create', '--email', 'ada@example.com', '--name', 'ci', '--json']);
    expect(run.code).toBe(0);
    token = JSON.parse(run.stdout) as typeof token;
    expect(token).toMatchObject({ name: 'ci', team: 'research', email: 'ada@example.com', token: expect.stringMatching(/^slt_/) });
    const [row] = await service.core.db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(JSON.stringify(row)).not.toContain(token.token);

    const created = await sluice(['models', 'create', '--name', 'via-token', '--url', 'http://127.0.0.1:9'], { env: { SLUICE_TOKEN: token.token } });
    expect(created).toMatchObject({ code: 0, stdout: "Registered model 'via-token' (http://127.0.0.1:9)\n" });
    const described = await sluice(['models', 'describe', 'via-token', '--json'], { env: { SLUICE_TOKEN: token.token } });
    expect(JSON.parse(described.stdout)).toMatchObject({ name: 'via-token', createdBy: 'ada@example.com' });
    const [used] = await service.core.db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(used!.lastUsedAt).not.toBeNull();
  });

  it('says SLUICE_TOKEN is missing when the service requires sign-in', async () => {
    const run = await sluice(['models', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`sluice: SLUICE_TOKEN is not set and the service at ${service.url} requires sign-in: create a token with \`sluice tokens create --email you@example.com\` and set SLUICE_TOKEN\n`);
  });

  it('lists tokens without the token, and revokes one: it is refused from then on, saying so', async () => {
    const list = await sluice(['tokens', 'list', '--email', 'ada@example.com']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${token.prefix}…`);
    expect(list.stdout).not.toContain(token.token);
    expect(list.stdout).toMatch(/ci\s+slt_\S+…\s+research\s+.*active/);

    expect(await sluice(['tokens', 'revoke', token.id])).toMatchObject({ code: 0, stdout: `Revoked token 'ci' (${token.prefix}…) of ada@example.com in team 'research'\n` });
    const refused = await sluice(['models', 'list'], { env: { SLUICE_TOKEN: token.token } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('sluice: SLUICE_TOKEN was revoked: create a new one with `sluice tokens create --email you@example.com` (or in the dashboard under Tokens) and set SLUICE_TOKEN\n');
    expect((await sluice(['tokens', 'list', '--email', 'ada@example.com'])).stdout).toMatch(/revoked \d{4}-/);
  });

  it('refuses a token for an unknown user, and asks for --team when the user has several', async () => {
    const unknown = await sluice(['tokens', 'create', '--email', 'ghost@example.com']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'sluice: no user ghost@example.com: create the user first (sluice users create --email ghost@example.com --team TEAM --role member)\n' });
    await sluice(['users', 'create', '--email', 'ada@example.com', '--team', 'ops', '--role', 'viewer']);
    const ambiguous = await sluice(['tokens', 'create', '--email', 'ada@example.com']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe('sluice: team: ada@example.com is in teams research, ops: choose the token\'s team with --team\n');
    const ops = JSON.parse((await sluice(['tokens', 'create', '--email', 'ada@example.com', '--team', 'ops', '--json'])).stdout) as { token: string };
    const viewer = await sluice(['models', 'create', '--name', 'no', '--url', 'http://127.0.0.1:9'], { env: { SLUICE_TOKEN: ops.token } });
    expect(viewer).toMatchObject({ code: 1, stderr: "sluice: viewers cannot change anything in team 'ops': this needs the member or admin role (ask a team admin)\n" });
  });
});

describe('sluice keys create', () => {
  it("issues a key tied to an existing user and team, and refuses an unknown email saying to create the user", async () => {
    const run = await sluice(['keys', 'create', '--email', 'viewer@example.com', '--json']);
    expect(run.code).toBe(0);
    const key = JSON.parse(run.stdout) as { accessKeyId: string; secretAccessKey: string; user: string; team: string };
    expect(key).toMatchObject({ user: 'viewer@example.com', team: 'research', accessKeyId: expect.stringMatching(/^SLK[A-Z2-7]{17}$/) });
    const [row] = await service.core.db.select().from(accessKeys).where(eq(accessKeys.accessKeyId, key.accessKeyId));
    expect(row).toMatchObject({ user: 'viewer@example.com', team: 'research' });
    const unknown = await sluice(['keys', 'create', '--email', 'ghost@example.com', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringMatching(/^no user ghost@example.com: create the user first/) } });
  });

  it('still issues a key for the local admin without --email', async () => {
    const key = JSON.parse((await sluice(['keys', 'create', '--json'])).stdout) as { user: string; team: string };
    expect(key).toMatchObject({ user: 'local', team: 'default' });
  });
});

/** `sluice up` until it says where it listens; stopped with Ctrl-C (SIGINT) by `stop`. */
async function startUp(args: string[], env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [SLUICE, 'up', ...args], { env: { ...process.env, DATABASE_URL: service.databaseUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice up did not start:\n${output}`)), 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Sluice is up at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => reject(new Error(`sluice up exited:\n${output}`)));
  });
  return { url, output: () => output, stop: async () => (child.kill('SIGINT'), await exited) };
}

describe('sluice up', () => {
  it('requires sign-in with SLUICE_AUTH=required, on any address', async () => {
    const web = await tempDir('sluice-no-dashboard');
    const up = await startUp(['--host', '0.0.0.0', '--port', '0', '--workers', '0'], { SLUICE_AUTH: 'required', SLUICE_WEB_DIR: web.path });
    try {
      const url = up.url.replace('0.0.0.0', '127.0.0.1');
      expect(up.output()).toContain('  sign-in   required (SLUICE_AUTH=required): add people with `sluice users create --email E --team T --role admin --password-stdin`');
      expect(await (await fetch(`${url}/api/auth/config`)).json()).toEqual({ mode: 'required', password: true, oidc: { enabled: false } });
      expect((await fetch(`${url}/api/trpc/models.list`)).status).toBe(401);
      const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }) });
      expect(signIn.status).toBe(200);
    } finally {
      await up.stop();
      await web.remove();
    }
  });

  it('signs the local admin in automatically on 127.0.0.1 in local mode', async () => {
    const web = await tempDir('sluice-no-dashboard');
    const up = await startUp(['--port', '0', '--workers', '0'], { SLUICE_AUTH: '', SLUICE_WEB_DIR: web.path, SLUICE_HOME: web.path });
    try {
      expect(await (await fetch(`${up.url}/api/auth/session`)).json()).toMatchObject({ user: { email: 'local' }, team: 'default', role: 'admin', mode: 'local' });
      expect(up.output()).toContain('  sign-in   local mode: every request from this machine acts as the local admin');
    } finally {
      await up.stop();
      await web.remove();
    }
  });

  it('refuses to listen beyond this machine without sign-in, saying how to configure it', async () => {
    const home = await tempDir('sluice-up-refusal');
    try {
      const run = await sluice(['up', '--host', '0.0.0.0', '--port', '0'], { env: { SLUICE_HOME: home.path, DATABASE_URL: '', SLUICE_AUTH: '' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        [
          'sluice: refusing to listen on 0.0.0.0: without sign-in (SLUICE_AUTH=local) anyone who reaches that address would act as the local admin.',
          'To serve other machines, require sign-in and create an admin first:',
          '  printf %s "$PASSWORD" | sluice users create --email you@example.com --team default --role admin --password-stdin',
          '  SLUICE_AUTH=required sluice up --host 0.0.0.0',
          'Or keep it on this machine: sluice up --host 127.0.0.1',
          '',
        ].join('\n'),
      );
    } finally {
      await home.remove();
    }
  });
});
