import type { Command } from 'commander';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Access keys for the SageMaker-compatible API (AWS Signature V4).');
  keys
    .command('create')
    .description('Issue an access key pair; the secret is shown once. Uses the database directly (DATABASE_URL, else the embedded PostgreSQL under SLUICE_HOME).')
    .option('--email <email>', 'the user the key acts as (default: the local admin)')
    .option('--json', 'print {"accessKeyId", "secretAccessKey"} as JSON')
    .action(async (options: { email?: string; json?: boolean }) => {
      // Server code is loaded only by the commands that run it: client commands stay quick to start.
      const { prepareDatabase } = await import('../service/database.js');
      const { createAccessKey, LOCAL_ACTOR, openCore } = await import('@sluice/core');
      const database = await prepareDatabase();
      try {
        const core = await openCore({ databaseUrl: database.url, maxConnections: 1 });
        try {
          const actor = options.email ? { user: options.email, team: LOCAL_ACTOR.team } : LOCAL_ACTOR;
          const key = await createAccessKey(core, actor);
          process.stdout.write(
            options.json
              ? `${JSON.stringify(key)}\n`
              : `Access key for ${actor.user} (keep the secret: it is not shown again)\n  AWS_ACCESS_KEY_ID=${key.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}\n`,
          );
        } finally {
          await core.close();
        }
      } finally {
        await database.stop();
      }
    });
}
