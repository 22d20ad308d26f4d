import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchStrategy } from '../params.js';
import { forgetGroupIfGone, groupExists, signalGroup, signalGroupButLeader, trackGroup, untrackGroup } from './process-group.js';
import { launchCommand, type ModelSandbox } from './sandbox/model-sandbox.js';
import { endProcessesOf } from './sandbox/uid-processes.js';

export interface SpawnModelOptions {
  /** A shell command line that starts a model server listening on $PORT. */
  command: string;
  /** The model's Environment: added last, so it can override anything below. */
  env?: Record<string, string>;
  /**
   * What the command's environment starts from, given by the entry point: its whole environment
   * for a command you run yourself (`sluice transform --model-command`); only what a process needs,
   * never its own credentials, for a worker running other people's models.
   */
  baseEnv: Record<string, string | undefined>;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** The unpacked model artifact, passed as SM_MODEL_DIR (in a bubblewrap sandbox: where the model sees it). */
  modelDir?: string;
  /**
   * Run the command isolated from its starter (prepareSandbox): as a uid of its own, in bubblewrap.
   * Unset: as the starter's own user, in `cwd`, as a command you run yourself.
   */
  sandbox?: ModelSandbox;
  /** Only the parameters the job set: SageMaker tells the container nothing about the others. */
  params?: { maxPayloadInMB?: number; batchStrategy?: BatchStrategy; maxConcurrentTransforms?: number };
  onLog?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Where the command runs without a sandbox (a sandboxed model starts in its own home). */
  cwd?: string;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 3 s. */
  stopGraceMs?: number;
}

export interface SpawnedModel {
  url: string;
  port: number;
  /** The shell's pid, which is also the id of the process group it leads. */
  pid: number;
  command: string;
  /** The last lines the model printed (stdout and stderr interleaved), oldest first. */
  lastLines(): string[];
  /** True until the shell running the command exits. */
  isAlive(): boolean;
  /** undefined while it runs; then its exit code, or null when a signal killed it. */
  readonly exitCode: number | null | undefined;
  /** Resolves with the command's exit code (null when a signal killed it). */
  exited: Promise<number | null>;
  /**
   * SIGTERM to the whole process group, SIGKILL after the grace period; as its own uid, then also
   * SIGKILL to whatever of that uid left the group. Safe to call twice.
   */
  stop(): Promise<void>;
}

const KEPT_LINES = 50;
/** A line longer than this is passed on in pieces rather than buffered without end. */
const MAX_LINE_CHARS = 16 * 1024;
/** How long `exited` waits for the output after the process ends. */
const OUTPUT_DRAIN_MS = 200;
const SAGEMAKER_PARAM_VARS = ['SAGEMAKER_MAX_PAYLOAD_IN_MB', 'SAGEMAKER_BATCH_STRATEGY', 'SAGEMAKER_MAX_CONCURRENT_TRANSFORMS'];

/**
 * Run a model server command as SageMaker would run a container: `sh -c <command>` with PORT,
 * SAGEMAKER_BATCH and the job's parameters in its environment. The command gets a process group of
 * its own, so that stop() also ends what it started (`sh -c 'python serve.py'` has workers, `&`
 * jobs...), and so that Ctrl-C in a terminal reaches Sluice, which then stops the model in order.
 */
export async function spawnModelCommand(options: SpawnModelOptions): Promise<SpawnedModel> {
  const { command, params = {}, onLog, cwd, sandbox, stopGraceMs = 3_000 } = options;
  const port = options.port ?? (await freePort());

  const env: Record<string, string | undefined> = { ...options.baseEnv, PORT: String(port), SAGEMAKER_BATCH: 'true' };
  // Inherited values would tell the model the job set something it did not.
  for (const name of SAGEMAKER_PARAM_VARS) delete env[name];
  if (params.maxPayloadInMB !== undefined) env.SAGEMAKER_MAX_PAYLOAD_IN_MB = String(params.maxPayloadInMB);
  if (params.batchStrategy !== undefined) env.SAGEMAKER_BATCH_STRATEGY = params.batchStrategy === 'SingleRecord' ? 'SINGLE_RECORD' : 'MULTI_RECORD';
  if (params.maxConcurrentTransforms !== undefined) env.SAGEMAKER_MAX_CONCURRENT_TRANSFORMS = String(params.maxConcurrentTransforms);
  const launch = launchCommand(command, sandbox, { modelDir: options.modelDir, cwd });
  Object.assign(env, launch.env, options.env);

  const child = spawn(launch.file, launch.args, { cwd: launch.cwd, uid: launch.uid, gid: launch.gid, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [Error];
    const where = sandbox?.kind === 'bwrap' ? ` in bubblewrap (${launch.file})` : sandbox ? ` as uid ${sandbox.uid}` : cwd ? ` in ${cwd}` : '';
    throw new Error(`could not start the model command \`${command}\`${where}: ${error.message}`);
  }
  const pid = child.pid;
  trackGroup(pid);

  const lines: string[] = [];
  const keep = (stream: 'stdout' | 'stderr', line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
    onLog?.(stream, line);
  };
  const outputEnded = Promise.all([
    splitLines(child.stdout, (line) => keep('stdout', line)),
    splitLines(child.stderr, (line) => keep('stderr', line)),
  ]);

  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      forgetGroupIfGone(pid);
      // The last lines (often the reason it died) may still be in the pipes. A background job
      // that inherited them can hold them open for ever, so the wait is short.
      void Promise.race([outputEnded, sleep(OUTPUT_DRAIN_MS)]).then(() => resolve(code));
    });
  });

  let stopping: Promise<void> | undefined;
  async function terminate(): Promise<void> {
    if (sandbox?.kind === 'bwrap') signalGroupButLeader(pid, 'SIGTERM');
    else signalGroup(pid, 'SIGTERM');
    const deadline = performance.now() + stopGraceMs;
    while (groupExists(pid) && performance.now() < deadline) await sleep(20);
    if (groupExists(pid)) signalGroup(pid, 'SIGKILL');
    await exited;
    // SIGKILL is delivered at once but takes effect a moment later; callers may rely on the
    // whole group being gone when stop() resolves.
    for (let i = 0; i < 100 && groupExists(pid); i++) await sleep(10);
    untrackGroup(pid);
    // A process of the model's uid may have left the group (setsid, a daemon's double fork); the
    // uid is the model's alone, so all of them go. (In bubblewrap, the PID namespace ends them all.)
    if (sandbox?.kind === 'user') await endProcessesOf(sandbox.uid, sandbox.gid);
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid,
    command,
    lastLines: () => [...lines],
    isAlive: () => exitCode === undefined,
    get exitCode() {
      return exitCode;
    },
    exited,
    stop: () => (stopping ??= terminate()),
  };
}

/** A port free on 127.0.0.1 right now (the OS picks it; the model binds it moments later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Calls onLine for each line of the stream; resolves when the stream ends. */
function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const emit = (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop()!;
    for (const line of parts) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (partial.length > MAX_LINE_CHARS) {
      onLine(partial);
      partial = '';
    }
  };
  stream.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
  return new Promise((resolve) => {
    stream.on('close', () => {
      emit(decoder.end());
      if (partial !== '') onLine(partial);
      partial = '';
      resolve();
    });
  });
}
