// Fresh, migrated databases for tests, in well under a second each: the migrations are applied
// once to a template database (named after a hash of the migrations, so a regenerated migration
// gets a new one), and every test database is a CREATE DATABASE ... TEMPLATE copy of it.
//
// Which server: DATABASE_URL when set (the role needs CREATEDB); else the embedded server that
// `test-global-setup.ts` started for the whole vitest run (its admin URL in
// SLUICE_TEST_DATABASE_ADMIN_URL); else, without that setup, one embedded server per process in a
// temporary directory.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from './migrate.js';

export const TEST_ADMIN_URL_ENV = 'SLUICE_TEST_DATABASE_ADMIN_URL';

/** A throwaway server need not survive a power cut; skipping fsync makes CREATE DATABASE quick. */
export const TEST_SERVER_FLAGS = [
  '-c', 'fsync=off',
  '-c', 'synchronous_commit=off',
  '-c', 'full_page_writes=off',
  '-c', 'max_connections=300',
];

/** pg_advisory_lock key held while building the template (the bytes of "Tmpl"). */
const TEMPLATE_LOCK_KEY = 0x546d706c;

export interface TestDatabase {
  /** A URL to a fresh database with every migration applied. */
  url: string;
  name: string;
  /** Drops the database (closing any connection still open to it). */
  stop(): Promise<void>;
}

export interface StartTestDatabaseOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip the migrations: an empty database. */
  migrated?: boolean;
}

export async function startTestDatabase(options: StartTestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = await testAdminUrl(options.env ?? process.env);
  const template = options.migrated === false ? undefined : await prepareTestTemplate(adminUrl);
  const name = `sluice_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, async (sql) => {
    if (template === undefined) await sql`create database ${sql(name)}`;
    // Fails while anyone is connected to the template (only while it is being built): retry.
    else await retryWhileInUse(() => sql`create database ${sql(name)} template ${sql(template)}`);
  });
  let dropped: Promise<void> | undefined;
  return {
    url: databaseUrl(adminUrl, name),
    name,
    stop: () => (dropped ??= withAdmin(adminUrl, async (sql) => void (await sql`drop database if exists ${sql(name)} with (force)`))),
  };
}

/**
 * Makes sure the migrated template for the current migrations exists on the server of `adminUrl`
 * and returns its name. Safe to call from many processes at once.
 */
export async function prepareTestTemplate(adminUrl: string): Promise<string> {
  const name = `sluice_template_${await migrationsHash()}`;
  return withAdmin(adminUrl, async (sql) => {
    if (await databaseExists(sql, name)) return name;
    await sql`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`;
    try {
      if (await databaseExists(sql, name)) return name;
      // Built under another name and renamed when complete, so a build cut short is never used.
      const building = `${name}_building`;
      await sql`drop database if exists ${sql(building)} with (force)`;
      await sql`create database ${sql(building)}`;
      await migrateDatabase(databaseUrl(adminUrl, building));
      await retryWhileInUse(() => sql`alter database ${sql(building)} rename to ${sql(name)}`);
      return name;
    } finally {
      await sql`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`.catch(() => undefined);
    }
  });
}

/** The same server and credentials, another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Starts an embedded server tuned for tests in a fresh temporary directory. A watchdog process
 * stops it and deletes the directory once this process is gone, should it end without stop():
 * vitest ends its workers without running their exit handlers, and a Ctrl-C skips teardown.
 */
export async function startTestServer(): Promise<{ server: EmbeddedPostgresServer; home: string; stop(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'sluice-test-pg-'));
  // mkdtemp makes it 0700; as root the server runs as `postgres`, which must enter it.
  await chmod(home, 0o755);
  const server = await startEmbeddedPostgres({ home, postgresFlags: TEST_SERVER_FLAGS });
  const watchdog = cleanUpAfterProcess(process.pid, server, home);
  return {
    server,
    home,
    stop: async () => {
      watchdog.kill();
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

// $1 the process to outlive, $2 the postmaster, $3 the home, $4 its data directory. The postmaster
// is only signalled while its postmaster.pid still names it (its pid may since have been reused).
const WATCHDOG_SCRIPT = `
while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ "$(head -n 1 "$4/postmaster.pid" 2>/dev/null)" = "$2" ]; then
  kill -INT "$2" 2>/dev/null
  i=0
  while [ -e "$4/postmaster.pid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
fi
rm -rf "$3"
`;

function cleanUpAfterProcess(pid: number, server: EmbeddedPostgresServer, home: string): ChildProcess {
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'sluice-test-postgres-watchdog', String(pid), String(server.pid), home, server.dataDir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

let processServer: Promise<string> | undefined;

async function testAdminUrl(env: NodeJS.ProcessEnv): Promise<string> {
  const configured = env.DATABASE_URL?.trim() || env[TEST_ADMIN_URL_ENV]?.trim();
  if (configured) return configured;
  // Without the global setup: one server for this process, which its watchdog stops afterwards.
  processServer ??= startTestServer().then(({ server }) => server.urlFor('postgres'));
  return processServer;
}

const hashes = new Map<string, Promise<string>>();

/** A short hash of the migrations folder: the journal and every SQL file it lists. */
function migrationsHash(folder = MIGRATIONS_FOLDER): Promise<string> {
  let hash = hashes.get(folder);
  if (!hash) {
    hash = (async () => {
      const journal = await readFile(join(folder, 'meta', '_journal.json'), 'utf8');
      const digest = createHash('sha256').update(journal);
      const entries = (JSON.parse(journal) as { entries: Array<{ tag: string }> }).entries;
      for (const { tag } of entries) digest.update(await readFile(join(folder, `${tag}.sql`)));
      return digest.digest('hex').slice(0, 12);
    })();
    hashes.set(folder, hash);
  }
  return hash;
}

async function withAdmin<T>(adminUrl: string, use: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'sluice-test-admin' } });
  try {
    return await use(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function databaseExists(sql: postgres.Sql, name: string): Promise<boolean> {
  return (await sql`select 1 from pg_database where datname = ${name}`).length > 0;
}

async function retryWhileInUse<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      // 55006 object_in_use: a connection to the source database is still closing.
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
