/** Postgres' unique_violation (23505), optionally on a given constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = (error as { cause?: unknown })?.cause ?? error;
  const pg = e as { code?: string; constraint_name?: string };
  return pg?.code === '23505' && (constraint === undefined || pg.constraint_name === constraint);
}
