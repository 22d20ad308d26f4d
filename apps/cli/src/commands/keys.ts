import type { Command } from 'commander';
import type { Core } from '@sluice/core';
import { EXIT } from '../exit-codes.js';

/**
 * Runs an administration command against the database directly (DATABASE_URL, else the embedded
 * PostgreSQL under SLUICE_HOME): whoever can run it owns the database, so no sign-in is asked.
 * The job service's refusals (an unknown email, a bad role...) are printed as `sluice: message`
 * with exit 2 for a bad request and 1 otherwise; with --json also as `{"error": ...}` on stdout.
 */
export async function withDatabase(json: boolean | undefined, run: (core: Core) => Promise<void>): Promise<void> {
  // Server code is loaded only by the commands that run it: client commands stay quick to start.
  const { prepareDatabase } = await import('../service/database.js');
  const { adminSettings } = await import('../service/admin-settings.js');
  const { openCore } = await import('@sluice/core');
  const { AppError } = await import('@sluice/contracts');
  const settings = adminSettings(process.env);
  const database = await prepareDatabase(settings.database);
  try {
    const core = await openCore({ databaseUrl: database.url, storage: settings.storage, maxConnections: 1, settings: { secretKey: settings.secretKey, auth: settings.auth } });
    try {
      await run(core);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (json) process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, issues: error.issues } })}\n`);
      process.stderr.write(`sluice: ${error.message}\n`);
      process.exitCode = error.code === 'VALIDATION' ? EXIT.usage : EXIT.failed;
    } finally {
      await core.close();
    }
  } finally {
    await database.stop();
  }
}

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Access keys for the SageMaker-compatible API (AWS Signature V4).');
  keys
    .command('create')
    .description('Issue an access key pair acting as a user (or the local admin); the secret is shown once. Uses the database directly (DATABASE_URL, else the embedded PostgreSQL under SLUICE_HOME).')
    .option('--email <email>', 'the user the key acts as, in their team (default: the local admin, for local mode)')
    .option('--team <team>', 'the team the key acts in, when the user is in several')
    .option('--json', 'print {"accessKeyId", "secretAccessKey", ...} as JSON')
    .action(async (options: { email?: string; team?: string; json?: boolean }) => {
      await withDatabase(options.json, async (core) => {
        const { createAccessKey, createAccessKeyForUser, LOCAL_ACTOR } = await import('@sluice/core');
        // Keys belong to users: an unknown email is refused, saying to create the user first.
        const key = options.email ? await createAccessKeyForUser(core, { email: options.email, team: options.team }) : { ...(await createAccessKey(core, LOCAL_ACTOR)), user: LOCAL_ACTOR.user, team: LOCAL_ACTOR.team };
        process.stdout.write(
          options.json
            ? `${JSON.stringify(key)}\n`
            : `Access key for ${key.user} in team '${key.team}' (keep the secret: it is not shown again)\n  AWS_ACCESS_KEY_ID=${key.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${key.secretAccessKey}\n`,
        );
      });
    });
}
