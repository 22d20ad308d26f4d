import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedPaths, startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded.js';
import { isProcessAlive, waitForExit } from './embedded/processes.js';
import { runDbChild } from './test-support/children.js';

const homes: string[] = [];
const servers: EmbeddedPostgresServer[] = [];

async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'sluice-embedded-test-'));
  chmodSync(home, 0o755);
  homes.push(home);
  return home;
}

async function start(home: string): Promise<EmbeddedPostgresServer> {
  const server = await startEmbeddedPostgres({ home });
  servers.push(server);
  return server;
}

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

async function postmasterPid(home: string): Promise<number> {
  const text = await readFile(join(embeddedPaths(home).dataDir, 'postmaster.pid'), 'utf8');
  return Number.parseInt(text.split('\n')[0]!, 10);
}

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const home of homes.splice(0)) await rm(home, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('starts a server on 127.0.0.1 with a sluice database, logging to <home>/postgres.log', async () => {
    const home = await freshHome();
    const server = await start(home);

    expect(server.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/sluice$/);
    expect(server.owner).toBe(true);
    const [row] = await query<{ one: number; db: string; listen: string; encoding: string }>(
      server.url,
      `select 1 as one, current_database() as db, current_setting('listen_addresses') as listen,
              current_setting('server_encoding') as encoding`,
    );
    expect(row).toEqual({ one: 1, db: 'sluice', listen: '127.0.0.1', encoding: 'UTF8' });
    expect(await readFile(join(home, 'postgres.log'), 'utf8')).toContain('database system is ready to accept connections');
    const state = JSON.parse(await readFile(join(home, 'postgres.json'), 'utf8')) as { port: number; ownerPid: number };
    expect(state).toMatchObject({ port: server.port, ownerPid: process.pid });

    // A Ctrl-C meant for the starter (its process group) must not reach the server.
    const pid = await postmasterPid(home);
    const sessionOf = (p: number) => execFileSync('ps', ['-o', 'sid=', '-p', String(p)], { encoding: 'utf8' }).trim();
    expect(sessionOf(pid)).not.toBe(sessionOf(process.pid));
  });

  it('keeps data and port across a stop and a start on the same home', async () => {
    const home = await freshHome();
    const first = await start(home);
    await query(first.url, `create table kept (note text); insert into kept values ('still here')`);
    const pid = await postmasterPid(home);
    await first.stop();
    expect(await waitForExit(pid, 5_000)).toBe(true);

    const second = await start(home);
    expect(second.url).toBe(first.url);
    expect(await query(second.url, 'select note from kept')).toEqual([{ note: 'still here' }]);
  });

  it('joins a server left running by a process killed with SIGKILL, and then owns it', async () => {
    const home = await freshHome();
    const child = runDbChild('start', home);
    const report = await child.report;
    expect(report.owner).toBe(true);
    child.process.kill('SIGKILL');
    await child.exited;
    expect(isProcessAlive(report.serverPid!)).toBe(true);

    const server = await start(home);
    expect(server.url).toBe(report.url);
    expect(server.owner).toBe(true);
    expect(await postmasterPid(home)).toBe(report.serverPid);
    expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    await server.stop();
    expect(await waitForExit(report.serverPid!, 5_000)).toBe(true);
  });

  it('starts after a crash that left a postmaster.pid whose process is gone', async () => {
    const home = await freshHome();
    const first = await start(home);
    await query(first.url, `create table kept (n int); insert into kept values (42)`);
    const pidFile = join(embeddedPaths(home).dataDir, 'postmaster.pid');
    const leftover = await readFile(pidFile, 'utf8');
    await first.stop();

    // A pid that certainly belongs to no process: one that has just exited.
    const deadPid = spawnSync('true').pid!;
    await writeFile(pidFile, leftover.replace(/^\d+/, String(deadPid)));
    const afterCrash = await start(home);
    expect(await query(afterCrash.url, 'select n from kept')).toEqual([{ n: 42 }]);
    expect(await postmasterPid(home)).not.toBe(deadPid);
    await afterCrash.stop();

    // Or a pid reused by an unrelated live process (this test runner).
    await writeFile(pidFile, leftover.replace(/^\d+/, String(process.pid)));
    const afterReuse = await start(home);
    expect(await query(afterReuse.url, 'select n from kept')).toEqual([{ n: 42 }]);
  });
});
