import { chmodSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSluiceHome, resolveDatabaseUrl } from './database-url.js';
import { waitForExit } from './embedded/processes.js';
import { runDbChild, type DbChild } from './test-support/children.js';
import { startTestDatabase, type TestDatabase } from './test-database.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'sluice-url-test-'));
  chmodSync(home, 0o755);
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

describe('resolveDatabaseUrl', () => {
  it('uses DATABASE_URL when set, starting nothing', async () => {
    const other: TestDatabase = await startTestDatabase({ migrated: false });
    cleanups.push(() => other.stop());
    const home = await freshHome();

    const resolved = await resolveDatabaseUrl({ env: { DATABASE_URL: other.url }, home });

    expect(resolved).toMatchObject({ url: other.url, embedded: false });
    expect(existsSync(join(home, 'postgres'))).toBe(false);
    const sql = postgres(resolved.url, { max: 1 });
    const [row] = await sql<Array<{ db: string }>>`select current_database() as db`;
    await sql.end();
    expect(row!.db).toBe(other.name);
    await resolved.stop();
  });

  it('defaults the home to SLUICE_HOME, else .sluice in the working directory', () => {
    expect(defaultSluiceHome({ SLUICE_HOME: '/srv/sluice' }, '/x')).toBe('/srv/sluice');
    expect(defaultSluiceHome({}, '/work/project')).toBe('/work/project/.sluice');
  });

  it('gives two processes starting at once on a fresh home the same embedded server', async () => {
    const home = await freshHome();
    const children: DbChild[] = [runDbChild('resolve', home), runDbChild('resolve', home)];
    cleanups.push(() => Promise.all(children.map((c) => c.finish())));

    const [a, b] = await Promise.all(children.map((c) => c.report));
    expect(a!.url).toMatch(/@127\.0\.0\.1:\d+\/sluice$/);
    expect(b!.url).toBe(a!.url);
    expect(b!.serverPid).toBe(a!.serverPid);

    const sql = postgres(a!.url!, { max: 1 });
    const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from pg_database where datname = 'sluice'`;
    await sql.end();
    expect(row!.n).toBe(1);

    // The process that started it stops it when it finishes; the other only leaves.
    await Promise.all(children.map((c) => c.finish()));
    expect(await waitForExit(a!.serverPid!, 5_000)).toBe(true);
  });
});
