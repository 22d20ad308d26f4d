// Advisory locks Sluice takes outside a transaction. (Migrations take their own in migrate.ts.)
import type postgres from 'postgres';

export interface HeldLock {
  /** Unlocks and gives the connection back to the pool; never throws. */
  release(): Promise<void>;
}

/**
 * Tries once to take the session advisory lock `key` on a connection reserved from `sql` for as
 * long as the lock is held: a session lock belongs to its connection, and dies with it, so a
 * process that crashes releases it. Null, with the connection given back, when another holds it.
 */
export async function tryHoldSessionLock(sql: postgres.Sql, key: bigint): Promise<HeldLock | null> {
  const connection = await sql.reserve();
  try {
    const [row] = await connection`select pg_try_advisory_lock(${key.toString()}::bigint) as locked`;
    if (!row?.locked) {
      connection.release();
      return null;
    }
  } catch (error) {
    connection.release();
    throw error;
  }
  return {
    release: async () => {
      await connection`select pg_advisory_unlock(${key.toString()}::bigint)`.catch(() => undefined);
      connection.release();
    },
  };
}
