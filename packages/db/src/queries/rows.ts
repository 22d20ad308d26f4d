// What every query function runs on, and how it reads the rows of a raw statement.
import type { SluiceDb } from '../client.js';

/** A client or an open transaction: each query runs on whichever the caller holds. */
export type Executor = Pick<SluiceDb, 'execute'>;

/** Rows of a raw `execute(sql\`...\`)` result, typed by the query that selected them. */
export function rowsOf<T extends object = Record<string, unknown>>(result: unknown): T[] {
  return result as T[];
}

/** The single row an aggregate query always returns. */
export function onlyRow<T extends object = Record<string, unknown>>(result: unknown): T {
  const row = (result as T[])[0];
  if (!row) throw new Error('expected one row from an aggregate query');
  return row;
}
