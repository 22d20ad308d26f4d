import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../client.js';
import { startTestDatabase, type TestDatabase } from '../test-database.js';
import { tryHoldSessionLock } from './locks.js';

describe('tryHoldSessionLock', () => {
  let database: TestDatabase;
  let a: Database;
  let b: Database;

  beforeAll(async () => {
    database = await startTestDatabase({ migrated: false });
    a = createDb(database.url, { max: 2 });
    b = createDb(database.url, { max: 2 });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.stop();
  });

  it('holds a key for one session at a time, until released', async () => {
    const held = await tryHoldSessionLock(a.sql, 42n);
    expect(held).not.toBeNull();
    expect(await tryHoldSessionLock(b.sql, 42n)).toBeNull();
    expect(await tryHoldSessionLock(b.sql, 43n)).not.toBeNull();
    await held!.release();
    const again = await tryHoldSessionLock(b.sql, 42n);
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('gives the connection back when the key is taken, so a pool of one can keep trying', async () => {
    const held = await tryHoldSessionLock(a.sql, 7n);
    const single = createDb(database.url, { max: 1 });
    try {
      for (let i = 0; i < 3; i++) expect(await tryHoldSessionLock(single.sql, 7n)).toBeNull();
      await held!.release();
      const mine = await tryHoldSessionLock(single.sql, 7n);
      expect(mine).not.toBeNull();
      await mine!.release();
    } finally {
      await single.close();
    }
  });
});
