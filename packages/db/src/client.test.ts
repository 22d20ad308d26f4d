import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Database } from './client.js';
import { models } from './schema.js';
import { startTestDatabase, type TestDatabase } from './test-database.js';

const opened: Array<Database | TestDatabase> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await ('close' in thing ? thing.close() : thing.stop());
});

describe('createDb', () => {
  it('reads back through drizzle what it wrote, and delivers NOTIFY to LISTEN', async () => {
    const database = await startTestDatabase();
    opened.push(database);
    const { db, sql } = createDb(database.url, { max: 2 });
    opened.push({ db, sql, close: () => sql.end({ timeout: 5 }) });

    const [inserted] = await db.insert(models).values({ name: 'echo', kind: 'http', url: 'http://127.0.0.1:9' }).returning();
    const found = await db.query.models.findFirst({ where: eq(models.id, inserted!.id) });
    expect(found).toMatchObject({ name: 'echo', kind: 'http', team: 'default' });

    const received = new Promise<string>((resolve) => void sql.listen('sluice_test', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sql.notify('sluice_test', 'hello');
    expect(await received).toBe('hello');
  });
});
