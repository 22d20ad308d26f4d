// @sluice/db: the schema, the client factory, the SQL statements (queries/), migrations, and where
// the database comes from (DATABASE_URL or the embedded server). Tests add startTestDatabase.
export * as schema from './schema.js';
export * from './schema.js';
export * from './queries/index.js';
export { createDb, type CreateDbOptions, type Database, type SluiceDb } from './client.js';
export { countQueuedJobMessages, notifyQueueChannel, type QueueSqlRunner } from './queries/queue.js';
export { tryHoldSessionLock, type HeldLock } from './queries/locks.js';
export { MIGRATION_LOCK_KEY, MIGRATIONS_FOLDER, migrateDatabase, type MigrateOptions } from './migrate.js';
export {
  databaseSettings,
  defaultSluiceHome,
  openDatabase,
  resolveDatabaseUrl,
  type DatabaseSettings,
  type ResolveDatabaseUrlOptions,
  type ResolvedDatabase,
} from './database-url.js';
export {
  embeddedPaths,
  startEmbeddedPostgres,
  type EmbeddedPostgresServer,
  type StartEmbeddedPostgresOptions,
} from './embedded.js';
export {
  databaseUrl,
  prepareTestTemplate,
  startTestDatabase,
  startTestServer,
  TEST_ADMIN_URL_ENV,
  TEST_SERVER_FLAGS,
  type StartTestDatabaseOptions,
  type TestDatabase,
} from './test-database.js';
