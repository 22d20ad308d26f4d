import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The reference model script (plain .mjs: `node` runs it directly, no TypeScript loader). */
export const referenceModelPath = fileURLToPath(new URL('./models/reference-model.mjs', import.meta.url));

/** What the reference model's GET /stats reports. */
export interface ReferenceModelStats {
  /** POST /invocations received, including ones answered with an error. */
  requests: number;
  pings: number;
  inFlight: number;
  /** The most invocations in progress at once (queued ones included). */
  maxConcurrent: number;
  /** TCP connections accepted since start, and those open now. */
  sockets: number;
  openSockets: number;
  /** Connections that carried at least one invocation: how well a client reuses keep-alive. */
  invocationSockets: number;
  bytesIn: number;
  lastContentType: string | null;
  lastAccept: string | null;
  /** PORT, MODE, SM_MODEL_DIR and every SAGEMAKER_* variable the process saw. */
  env: Record<string, string>;
}

export interface RunningModelServer {
  url: string;
  port: number;
  pid: number;
  stats(): Promise<ReferenceModelStats>;
  /** Everything the server printed, line by line. */
  output(): string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Start the reference model in `mode` (see reference-model.mjs: `echo`, `upper`, `latency`,
 * `flaky`, `miscount`, `crash-after`, `fail-on`, `exec-params`, `never-healthy`, `slow-ping`, or
 * several joined by commas) as a child process on a free port. Resolves once it listens and, unless
 * `waitForPing` is false, once /ping answers 200 (never waited for in `never-healthy` and
 * `slow-ping`, whose point is that it does not).
 */
export async function startModelServer(
  mode: string,
  env: Record<string, string> = {},
  options: { waitForPing?: boolean } = {},
): Promise<RunningModelServer> {
  const child = spawn(process.execPath, [referenceModelPath], {
    env: { ...process.env, MODE: mode, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackForExit(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });

  // PORT=0 lets the server bind a free port itself (no race with another test taking it); the
  // listening line says which.
  const port = await new Promise<number>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        lines.push(line);
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (match) resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void exited.then((code) => reject(new Error(`reference model (${mode}) exited with code ${code} before listening:\n${lines.join('\n')}`)));
  });

  const url = `http://127.0.0.1:${port}`;
  const server: RunningModelServer = {
    url,
    port,
    pid: child.pid!,
    exited,
    output: () => [...lines],
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as ReferenceModelStats,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };

  const skipPing = mode.split(',').some((m) => m === 'never-healthy' || m === 'slow-ping');
  if (options.waitForPing ?? !skipPing) await untilHealthy(url, mode);
  return server;
}

/**
 * The shell command that runs the reference model, for `spawnModelCommand` or the CLI's
 * `--model-command`: `MODE=echo '/path/to/node' '/abs/path/reference-model.mjs'`. The spawner sets PORT.
 */
export function referenceModelCommand(mode: string, env: Record<string, string> = {}): string {
  const assignments = Object.entries({ MODE: mode, ...env }).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...assignments, shellQuote(process.execPath), shellQuote(referenceModelPath)].join(' ');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

async function untilHealthy(url: string, mode: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/ping`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`reference model (${mode}) at ${url} did not answer /ping with 200 within 10 s`);
}

// A test runner that dies mid-test must not leave model servers behind holding ports.
function trackForExit(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}
