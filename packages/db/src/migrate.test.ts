import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase } from './migrate.js';
import { runDbChild } from './test-support/children.js';
import { startTestDatabase, type TestDatabase } from './test-database.js';

const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const database of databases.splice(0).reverse()) await database.stop();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await startTestDatabase({ migrated: false });
  databases.push(database);
  return database;
}

async function journalLength(): Promise<number> {
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

describe('migrateDatabase', () => {
  it('applies every migration once when three processes migrate the same database at once', async () => {
    const { url } = await emptyDatabase();
    // From another working directory: the migrations are found from the source file.
    const children = [1, 2, 3].map(() => runDbChild('migrate', url, { cwd: '/' }));
    const reports = await Promise.all(children.map((c) => c.report));
    expect(reports).toEqual([{ migrated: true }, { migrated: true }, { migrated: true }]);
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0, 0]);

    const sql = postgres(url, { max: 1 });
    try {
      const [applied] = await sql<Array<{ n: number }>>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(applied!.n).toBe(await journalLength());
      const tables = await sql<Array<{ table_name: string }>>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['models', 'tasks', 'transform_jobs']));
    } finally {
      await sql.end();
    }
  });

  it('does nothing the second time', async () => {
    const { url } = await emptyDatabase();
    await migrateDatabase(url);
    await migrateDatabase(url);
    const sql = postgres(url, { max: 1 });
    const [applied] = await sql<Array<{ n: number }>>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await sql.end();
    expect(applied!.n).toBe(await journalLength());
  });
});
