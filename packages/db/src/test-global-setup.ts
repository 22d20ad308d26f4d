// Vitest globalSetup: one embedded PostgreSQL for the whole test run, so each test file's
// startTestDatabase() only copies the migrated template (tens of milliseconds) instead of starting
// a server (seconds). Use it from any package's vitest.config.ts:
//
//   test: { globalSetup: ['@sluice/db/test-global-setup'] }
//
// With DATABASE_URL set it starts nothing: test databases are created (and dropped) there.
import { prepareTestTemplate, startTestServer, TEST_ADMIN_URL_ENV } from './test-database.js';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const configured = process.env.DATABASE_URL?.trim() || process.env[TEST_ADMIN_URL_ENV]?.trim();
  if (configured) {
    await prepareTestTemplate(configured);
    return undefined;
  }
  const testServer = await startTestServer();
  const adminUrl = testServer.server.urlFor('postgres');
  // Test workers are started after global setup and inherit this environment.
  process.env[TEST_ADMIN_URL_ENV] = adminUrl;
  await prepareTestTemplate(adminUrl);
  return async () => {
    delete process.env[TEST_ADMIN_URL_ENV];
    await testServer.stop();
  };
}
