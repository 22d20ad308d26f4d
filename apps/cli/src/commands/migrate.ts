import type { Command } from 'commander';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description("Apply Sluice's database migrations: to DATABASE_URL, else to the embedded PostgreSQL under SLUICE_HOME (default ./.sluice).")
    .action(async () => {
      // Server code is loaded only by the commands that run it: client commands stay quick to start.
      const [{ databaseSettings }, { prepareDatabase }] = await Promise.all([import('@sluice/db'), import('../service/database.js')]);
      const database = await prepareDatabase(databaseSettings(process.env));
      process.stdout.write(`Migrated ${database.where}: Sluice's schema is current.\n`);
      await database.stop();
    });
}
