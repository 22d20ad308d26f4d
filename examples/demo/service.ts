// `sluice up` as a child process: the real service a user would start (embedded PostgreSQL under
// SLUICE_HOME, the API, in-process workers, the dashboard when built), driven like a user drives it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceOptions {
  repo: string;
  /** SLUICE_HOME: where the embedded database keeps its data, so a second run finds the first's jobs. */
  home: string;
  port: number;
  /** In-process workers (2 task slots each). */
  workers: number;
  /** Everything the service prints goes here, not to the terminal, so progress bars stay readable. */
  logFile: string;
}

export interface RunningService {
  url: string;
  /** Whether it serves the dashboard (apps/web is built) or the API only. */
  dashboard: boolean;
  /** Resolves with the exit code when the process ends, for whatever reason. */
  exited: Promise<number>;
  /** Ctrl-C for the service: it stops its workers, server and database in order; resolves with the exit code. */
  stop(): Promise<number>;
}

/** How long a first start may take: initdb of the embedded PostgreSQL, migrations, Next's start-up. */
const START_TIMEOUT_MS = 120_000;
/** How long a clean stop may take before the process is killed. */
const STOP_TIMEOUT_MS = 30_000;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} sluice up --port ${options.port} --workers ${options.workers} (SLUICE_HOME=${options.home})\n`);
  const child = spawn(process.execPath, [join(options.repo, 'apps/cli/bin/sluice.js'), 'up', '--port', String(options.port), '--workers', String(options.workers)], {
    cwd: options.repo,
    env: { ...process.env, SLUICE_HOME: options.home, NEXT_TELEMETRY_DISABLED: '1' },
    // Its own process group: a Ctrl-C in the terminal reaches the demo only, which forwards it
    // once. Two SIGINTs would make `sluice up` exit at once instead of stopping cleanly.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': its last lines are read by then.
  const exited = new Promise<number>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1))));
  // The demo ending any other way (an exception, a second Ctrl-C) must not leave the service
  // running: SIGTERM makes it stop cleanly on its own (SIGKILL would leave PostgreSQL behind).
  const orphanGuard = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));

  const recent: string[] = [];
  const remember = (line: string) => {
    if (!log.writableEnded) log.write(`${line}\n`);
    recent.push(line);
    if (recent.length > 20) recent.shift();
  };
  createInterface({ input: child.stderr! }).on('line', remember);

  let url: string;
  let dashboard: boolean;
  try {
    url = await untilUp(child, remember, exited);
    dashboard = await servesDashboard(url);
  } catch (error) {
    await stop(child, exited, log);
    throw new Error(`${(error as Error).message}\n  its last lines (all in ${options.logFile}):\n    ${recent.join('\n    ')}`);
  }
  return { url, dashboard, exited: exited.then(async (code) => (await closeLog(log), code)), stop: () => stop(child, exited, log) };
}

function untilUp(child: ChildProcess, remember: (line: string) => void, exited: Promise<number>): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`\`sluice up\` did not say it was up within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`\`sluice up\` exited with code ${code} before it was up`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      remember(line);
      const url = /^Sluice is up at (\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
}

/** Whether the dashboard answers (the API alone answers 404 for its pages): asked, not read from the banner. */
async function servesDashboard(url: string): Promise<boolean> {
  const response = await fetch(`${url}/jobs`, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  await response.body?.cancel();
  return response.status < 400;
}

async function stop(child: ChildProcess, exited: Promise<number>, log: WriteStream): Promise<number> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  await closeLog(log);
  return exited;
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => (log.closed ? resolve() : log.end(resolve)));
}

/** `preferred` when nothing listens on it (3000, where `sluice up` usually is), else a free port the system picks. */
export async function choosePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const chosen = (server.address() as { port: number }).port;
        server.close(() => resolve(chosen));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}
