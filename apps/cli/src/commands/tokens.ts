import type { Command } from 'commander';
import { integer } from '../flag-parsers.js';
import { formatTime } from '../output/format.js';
import { formatTable } from '../output/table.js';
import { withDatabase } from './keys.js';

interface CreateTokenFlags {
  email: string;
  team?: string;
  name?: string;
  expiresInDays?: number;
  json?: boolean;
}

export function registerTokensCommands(program: Command): void {
  const tokens = program.command('tokens').description('Personal API tokens for the SDK and the CLI (SLUICE_TOKEN). Uses the database directly (DATABASE_URL, else the embedded PostgreSQL under SLUICE_HOME).');
  tokens
    .command('create')
    .description('Create a token acting as a user in one of their teams; it is printed once (only its hash is stored).')
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--team <team>', 'the team it acts in (needed when the user is in several)')
    .option('--name <name>', 'what the token is for, to tell tokens apart (default: token)')
    .option('--expires-in-days <days>', 'the token stops working after this many days (default: until revoked)', integer('--expires-in-days', 1, 3650))
    .option('--json', 'print {"id", "name", "token", "prefix", ...} as JSON')
    .action(async (flags: CreateTokenFlags) => {
      await withDatabase(flags.json, async (core) => {
        const { createApiTokenForUser } = await import('@sluice/core');
        const created = await createApiTokenForUser(core, { email: flags.email, team: flags.team, name: flags.name, expiresInDays: flags.expiresInDays });
        if (flags.json) process.stdout.write(`${JSON.stringify(created)}\n`);
        else process.stdout.write(`Token '${created.name}' (${created.id}) for ${created.email} in team '${created.team}' (keep it: it is not shown again)\n  SLUICE_TOKEN=${created.token}\n`);
      });
    });

  tokens
    .command('list')
    .description("List a user's tokens (never the tokens themselves: their first characters and dates).")
    .requiredOption('--email <email>', 'the user')
    .option('--json', 'print the tokens as a JSON array')
    .action(async (flags: { email: string; json?: boolean }) => {
      await withDatabase(flags.json, async (core) => {
        const { listApiTokensOfUser } = await import('@sluice/core');
        const all = await listApiTokensOfUser(core, flags.email);
        if (flags.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        else if (all.length === 0) process.stdout.write(`${flags.email} has no tokens: create one with \`sluice tokens create --email ${flags.email}\`.\n`);
        else {
          const state = (t: (typeof all)[number]) => (t.revokedAt ? `revoked ${formatTime(t.revokedAt)}` : t.expiresAt && t.expiresAt < new Date() ? 'expired' : 'active');
          process.stdout.write(`${formatTable(['ID', 'NAME', 'PREFIX', 'TEAM', 'CREATED', 'LAST USED', 'STATE'], all.map((t) => [t.id, t.name, `${t.prefix}…`, t.team, formatTime(t.createdAt), formatTime(t.lastUsedAt), state(t)]))}\n`);
        }
      });
    });

  tokens
    .command('revoke')
    .description('Revoke a token: requests with it are refused from then on.')
    .argument('<id>', 'the token id (as tokens list shows it)')
    .option('--json', 'print the revoked token as JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      await withDatabase(flags.json, async (core) => {
        const { revokeApiTokenById } = await import('@sluice/core');
        const revoked = await revokeApiTokenById(core, id);
        if (flags.json) process.stdout.write(`${JSON.stringify(revoked)}\n`);
        else process.stdout.write(`Revoked token '${revoked.name}' (${revoked.prefix}…) of ${revoked.email} in team '${revoked.team}'\n`);
      });
    });
}
