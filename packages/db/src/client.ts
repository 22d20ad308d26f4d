// The database client factory: a drizzle instance over Sluice's schema plus the raw postgres.js
// client (LISTEN/NOTIFY, COPY). No module-level singleton: each process or test makes its own
// and closes it.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

export type SluiceDb = PostgresJsDatabase<typeof schema>;

export interface CreateDbOptions {
  /** Pool size; default 10. */
  max?: number;
  /** Server notices ("relation already exists, skipping"...); default: ignored. */
  onnotice?: (notice: postgres.Notice) => void;
  /** Shown in pg_stat_activity; default `sluice`. */
  applicationName?: string;
}

export interface Database {
  db: SluiceDb;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function createDb(url: string, options: CreateDbOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: options.onnotice ?? (() => {}),
    connection: { application_name: options.applicationName ?? 'sluice' },
  });
  const db = drizzle(sql, { schema });
  return {
    db,
    sql,
    // Waits up to 5 s for running queries, then closes the connections regardless.
    close: () => sql.end({ timeout: 5 }),
  };
}
