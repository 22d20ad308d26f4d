import { migrateDatabase, openDatabase, type DatabaseSettings, type ResolvedDatabase } from '@sluice/db';

export interface PreparedDatabase extends ResolvedDatabase {
  /** Where the data lives, for people: the embedded server's folder, or DATABASE_URL without its password. */
  where: string;
}

/**
 * The database every server-side command starts with: DATABASE_URL, else the embedded PostgreSQL
 * of the Sluice home (SLUICE_HOME, else ./.sluice), started or joined, with migrations applied.
 */
export async function prepareDatabase(settings: DatabaseSettings): Promise<PreparedDatabase> {
  const database = await openDatabase(settings);
  try {
    await migrateDatabase(database.url);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return { ...database, where: database.embedded ? `the embedded PostgreSQL (data in ${settings.home}/postgres)` : `DATABASE_URL (${withoutPassword(database.url)})` };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
