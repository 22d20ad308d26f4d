import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestDatabase, TEST_ADMIN_URL_ENV, type TestDatabase } from './test-database.js';

const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const database of databases.splice(0).reverse()) await database.stop();
});

async function fresh(env?: NodeJS.ProcessEnv): Promise<TestDatabase> {
  const database = await startTestDatabase(env ? { env } : {});
  databases.push(database);
  return database;
}

async function tablesOf(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1 });
  try {
    const rows = await sql<Array<{ table_name: string }>>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    return rows.map((r) => r.table_name);
  } finally {
    await sql.end();
  }
}

describe('startTestDatabase', () => {
  it('gives each call its own migrated database, in well under a second', async () => {
    const a = await fresh();
    const started = performance.now();
    const b = await fresh();
    const elapsedMs = performance.now() - started;

    expect(a.url).not.toBe(b.url);
    expect(await tablesOf(a.url)).toEqual(expect.arrayContaining(['models', 'tasks', 'transform_jobs', 'workers']));
    expect(elapsedMs).toBeLessThan(1000);

    const sqlA = postgres(a.url, { max: 1 });
    await sqlA`insert into models (name, kind, url) values ('echo', 'http', 'http://127.0.0.1:1')`;
    await sqlA.end();
    const sqlB = postgres(b.url, { max: 1 });
    const [row] = await sqlB<Array<{ n: number }>>`select count(*)::int as n from models`;
    await sqlB.end();
    expect(row!.n).toBe(0);
  });

  it('drops the database at stop, even with a connection still open', async () => {
    const database = await startTestDatabase();
    const open = postgres(database.url, { max: 1, onnotice: () => {} });
    await open`select 1`;
    await database.stop();
    await open.end({ timeout: 0 }).catch(() => undefined);

    const admin = postgres(process.env[TEST_ADMIN_URL_ENV]!, { max: 1 });
    const rows = await admin`select 1 from pg_database where datname = ${database.name}`;
    await admin.end();
    expect(rows).toHaveLength(0);
  });

  it('creates its databases in DATABASE_URL when that is set', async () => {
    const server = await fresh();
    const database = await fresh({ DATABASE_URL: server.url });
    expect(database.url).not.toBe(server.url);
    expect(new URL(database.url).host).toBe(new URL(server.url).host);
    expect(await tablesOf(database.url)).toContain('transform_jobs');
  });
});
