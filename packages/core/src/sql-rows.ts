/** Rows of a raw `db.execute(sql\`...\`)` result, typed by the caller who wrote the query. */
export function rowsOf<T extends object = Record<string, unknown>>(result: unknown): T[] {
  return result as T[];
}

/** The single row an aggregate query always returns. */
export function onlyRow<T extends object = Record<string, unknown>>(result: unknown): T {
  const row = (result as T[])[0];
  if (!row) throw new Error('expected one row from an aggregate query');
  return row;
}
