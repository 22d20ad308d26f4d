// #13 (critical): the dashboard's own process must not make another machine the local admin.
// - server.ts (`npm start`) listens on 127.0.0.1 unless told otherwise, and refuses any other
//   address in local mode;
// - Next's route handlers cannot see the connection's address, so they refuse local mode: before,
//   they believed the Host header, and `next start` listens on every interface.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '@sluice/db';
import { freePort } from './dashboard-harness.js';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
let database: TestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
});
afterAll(() => database?.stop());

/** Runs `args` with node (tsx loaded, as the scripts do) in apps/web until `ready` answers or it exits. */
async function startWeb(args: string[], ready: string) {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@sluice/source', ...args], {
    cwd: webRoot,
    env: { ...process.env, DATABASE_URL: database.url, SLUICE_AUTH: 'local', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (child.exitCode === null && Date.now() < deadline) {
    if (await fetch(ready).then((r) => r.status < 500, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

describe('the dashboard server', () => {
  it('refuses to listen beyond this machine in local mode, saying what to do', async () => {
    const web = await startWeb(['server.ts', '--host', '0.0.0.0', '--port', String(await freePort())], 'http://127.0.0.1:1/');
    if (web.child.exitCode === null) await once(web.child, 'exit');
    expect(web.child.exitCode).not.toBe(0);
    expect(web.output.join('')).toContain('refusing to listen on 0.0.0.0: without sign-in (SLUICE_AUTH=local)');
  });

  it('listens on 127.0.0.1 by default and answers the local admin there', async () => {
    const port = await freePort();
    const web = await startWeb(['server.ts', '--port', String(port)], `http://127.0.0.1:${port}/healthz`);
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/api/trpc/jobs.list`);
      expect(answer.status, web.output.join('')).toBe(200);
      expect(web.output.join('')).toContain(`sluice dashboard: http://127.0.0.1:${port} (SLUICE_AUTH=local)`);
    } finally {
      await web.stop();
    }
  });
});

describe("Next's own route handlers (`next start`)", () => {
  it('refuse local mode: they cannot see where a request comes from', async () => {
    const port = await freePort();
    const nextBin = createRequire(join(webRoot, 'package.json')).resolve('next/dist/bin/next');
    const web = await startWeb([nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], `http://127.0.0.1:${port}/api/auth/config`);
    try {
      for (const path of ['/api/trpc/jobs.list', '/api/auth/session']) {
        const answer = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { host: `localhost:${port}` } });
        expect(answer.status, path).toBe(403);
        expect(await answer.text()).toContain('local mode needs to see that a request comes from this machine, and this server cannot see the connection');
      }
    } finally {
      await web.stop();
    }
  });
});
