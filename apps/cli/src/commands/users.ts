import type { Command } from 'commander';
import { formatTime } from '../output/format.js';
import { formatTable } from '../output/table.js';
import { withDatabase } from './keys.js';

interface CreateUserFlags {
  email: string;
  team: string;
  role: string;
  name?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('Users, teams and roles (admin, member, viewer). Uses the database directly (DATABASE_URL, else the embedded PostgreSQL under SLUICE_HOME).');
  users
    .command('create')
    .description('Add a user to a team (the team is created if needed; an existing user joins it and keeps their password).')
    .requiredOption('--email <email>', 'the address the user signs in with')
    .requiredOption('--team <team>', 'the team (letters, digits, hyphens); local mode works in team default')
    .requiredOption('--role <role>', 'admin (runs the team), member (runs jobs) or viewer (reads only)')
    .option('--name <name>', 'how the dashboard shows the user')
    .option('--password-stdin', 'read the password from stdin (at least 10 characters); without it the user signs in through OIDC only')
    .option('--json', 'print the user as JSON')
    .action(async (flags: CreateUserFlags) => {
      // Read before opening the database: a missing password fails fast. Never from an argument,
      // where it would land in shell history and process listings.
      const password = flags.passwordStdin ? await readPassword() : undefined;
      await withDatabase(flags.json, async (core) => {
        const { createUser } = await import('@sluice/core');
        const user = await createUser(core, { email: flags.email, team: flags.team, role: flags.role, name: flags.name, password });
        if (flags.json) process.stdout.write(`${JSON.stringify(user)}\n`);
        else process.stdout.write(`Added ${user.email} to team '${user.team}' as ${user.role}${user.hasPassword ? ' (signs in with a password)' : ' (signs in through OIDC; no password)'}\n`);
      });
    });

  users
    .command('set-password')
    .description("Set or replace a user's password (read from stdin), ending their sessions and revoking their API tokens and access keys. Team admins cannot: an account is shared by every team it joins.")
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--password-stdin', 'read the password from stdin (at least 10 characters)')
    .action(async (flags: { email: string }) => {
      const password = await readPassword();
      await withDatabase(false, async (core) => {
        const { setUserPassword } = await import('@sluice/core');
        const ended = await setUserPassword(core, { email: flags.email, password });
        process.stdout.write(`Set the password of ${flags.email.trim().toLowerCase()}; ended ${plural(ended.sessions, 'session')}, revoked ${plural(ended.tokens, 'API token')} and ${plural(ended.keys, 'access key')}\n`);
      });
    });

  for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
    users
      .command(name)
      .description(disabled ? 'Turn an account off: no sign-in, and its sessions, tokens and access keys are refused (its history stays).' : 'Turn a disabled account back on.')
      .requiredOption('--email <email>', 'the user')
      .action(async (flags: { email: string }) => {
        await withDatabase(false, async (core) => {
          const { setUserDisabled } = await import('@sluice/core');
          await setUserDisabled(core, { email: flags.email, disabled });
          process.stdout.write(`${disabled ? 'Disabled' : 'Enabled'} ${flags.email.trim().toLowerCase()}\n`);
        });
      });
  }

  users
    .command('list')
    .description('List users with their teams and roles.')
    .option('--team <team>', 'only this team')
    .option('--json', 'print the memberships as a JSON array')
    .action(async (flags: { team?: string; json?: boolean }) => {
      await withDatabase(flags.json, async (core) => {
        const { listUsers } = await import('@sluice/core');
        const all = await listUsers(core, flags.team ? { team: flags.team } : {});
        if (flags.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        else if (all.length === 0) process.stdout.write(`No users${flags.team ? ` in team '${flags.team}'` : ''} yet: add one with \`sluice users create\`.\n`);
        else process.stdout.write(`${formatTable(['EMAIL', 'TEAM', 'ROLE', 'PASSWORD', 'LAST SIGN-IN'], all.map((u) => [u.email, u.team, u.role, u.hasPassword ? 'yes' : 'no', formatTime(u.lastSignInAt)]))}\n`);
      });
    });
}

/** The whole of stdin, without the line end a shell or `echo` adds. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter and Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new Error('--password-stdin: stdin was empty; pipe the password in, e.g. `printf %s "$PASSWORD" | sluice users create ... --password-stdin`');
  return password;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
