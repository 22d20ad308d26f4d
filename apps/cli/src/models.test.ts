import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceModelCommand, startModelServer, type RunningModelServer } from '@sluice/testkit';
import { sluice } from './test-support/run-sluice.js';
import { startTestService } from './test-support/test-service.js';

let service: Awaited<ReturnType<typeof startTestService>>;
let echo: RunningModelServer;

beforeAll(async () => {
  [service, echo] = await Promise.all([startTestService(), startModelServer('echo')]);
});
afterAll(async () => {
  await Promise.all([service?.stop(), echo?.stop()]);
});

describe('sluice models', () => {
  it('registers, lists, describes and deletes models', async () => {
    const http = await service.sluice(['models', 'create', '--name', 'echo', '--url', echo.url, '--description', 'answers what it gets']);
    expect(http.stderr).toBe('');
    expect(http.code).toBe(0);
    expect(http.stdout).toBe(`Registered model 'echo' (${echo.url})\n`);

    const command = await service.sluice(['models', 'create', '--name', 'upper', '--command', referenceModelCommand('upper'), '--env', 'A=1', '--env', 'B=x=y', '--startup-timeout', '30', '--json']);
    expect(command.code).toBe(0);
    expect(JSON.parse(command.stdout)).toMatchObject({ name: 'upper', kind: 'command', env: { A: '1', B: 'x=y' }, startupTimeoutSeconds: 30 });

    const list = await service.sluice(['models', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+SERVER\s+ARTIFACT\s+CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['echo', 'http', echo.url],
      ['upper', 'command', 'MODE=upper'],
    ]);
    expect(JSON.parse((await service.sluice(['models', 'list', '--json'])).stdout).map((m: { name: string }) => m.name)).toEqual(['echo', 'upper']);

    const describe = await service.sluice(['models', 'describe', 'upper']);
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/^Name\s+upper\nKind\s+command\nCommand\s+MODE=upper /);
    expect(describe.stdout).toMatch(/Environment\s+A=1\n\s+B=x=y\n/);
    expect(describe.stdout).toMatch(/Jobs\s+\(none\)/);

    const deleted = await service.sluice(['models', 'delete', 'echo']);
    expect(deleted).toMatchObject({ code: 0, stdout: "Deleted model 'echo'\n" });
    const gone = await service.sluice(['models', 'describe', 'echo']);
    expect(gone).toMatchObject({ code: 1, stdout: '', stderr: "sluice: no model named 'echo'\n" });
  });

  it('exits 1 with the service\'s reason when the name is taken', async () => {
    await service.sluice(['models', 'create', '--name', 'taken', '--url', echo.url]);
    const again = await service.sluice(['models', 'create', '--name', 'taken', '--url', echo.url, '--json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("sluice: a model named 'taken' already exists; choose another name or delete it first\n");
    expect(JSON.parse(again.stdout)).toEqual({ error: { code: 'ALREADY_EXISTS', message: "a model named 'taken' already exists; choose another name or delete it first", issues: [] } });
  });

  it('exits 2 naming the flags the service found invalid', async () => {
    const run = await service.sluice(['models', 'create', '--name', 'bad_name', '--url', 'ftp://example.com']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        'sluice: the request is not valid:',
        '  --name: must be letters, digits and hyphens, starting and ending with a letter or digit',
        '  --url: must be an http:// or https:// URL',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 on command-line mistakes before calling the service', async () => {
    const neither = await service.sluice(['models', 'create', '--name', 'x']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/one of --url, --command or --builtin is required/);
    const both = await service.sluice(['models', 'create', '--name', 'x', '--url', 'http://a', '--command', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/option '--url <url>' cannot be used with option '--command <cmd>'/);
    const builtinAndCommand = await service.sluice(['models', 'create', '--name', 'x', '--builtin', 'franc', '--command', 'b']);
    expect(builtinAndCommand.code).toBe(2);
  });

  it('registers a builtin handler with --builtin and describes it', async () => {
    const created = await service.sluice(['models', 'create', '--name', 'langid', '--builtin', 'franc']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe("Registered model 'langid' (builtin handler: franc)\n");
    const described = await service.sluice(['models', 'describe', 'langid']);
    expect(described.stdout).toMatch(/Kind\s+builtin/);
    expect(described.stdout).toMatch(/Handler\s+franc/);
  });

  it('says how to fix it when the service cannot be reached', async () => {
    const port = await closedPort();
    const run = await sluice(['models', 'list'], { env: { SLUICE_URL: `http://127.0.0.1:${port}` } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`sluice: cannot reach Sluice at http://127.0.0.1:${port} (ECONNREFUSED): is \`sluice up\` running? set SLUICE_URL to where the service runs\n`);
  });

  it('prints help for every command', async () => {
    for (const args of [['models'], ['models', 'create'], ['jobs', 'create'], ['jobs', 'logs'], ['up'], ['worker'], ['migrate']]) {
      const run = await sluice([...args, '--help']);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: sluice ${args.join(' ')} `));
    }
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
