// drizzle-kit's configuration: `npm run db:generate -w @sluice/db` turns changes to the schema into
// a new SQL migration under ./drizzle, which is committed and applied by `migrateDatabase`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  schema: './src/schema.ts',
  out: './drizzle',
  dialect: 'postgresql',
});
