// Runs db-child.ts as a separate process and reads the JSON line it prints when ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHILD = fileURLToPath(new URL('./db-child.ts', import.meta.url));
/** tsx's loader as a URL, so that a child may run from any working directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ChildReport {
  url?: string;
  owner?: boolean;
  serverPid?: number;
  pid?: number;
  migrated?: boolean;
}

export interface DbChild {
  process: ChildProcess;
  /** The child's JSON line; rejects with its stderr if it exits first. */
  report: Promise<ChildReport>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Closes the child's stdin: a `start`/`resolve` child then stops its server and exits. */
  finish(): Promise<number | string>;
}

export function runDbChild(mode: 'start' | 'resolve' | 'migrate', target: string, options: { cwd?: string } = {}): DbChild {
  const child = spawn(process.execPath, ['--import', TSX, '--conditions=@sluice/source', CHILD, mode, target], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, DATABASE_URL: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line && stdout.includes('\n')) resolve(JSON.parse(line) as ChildReport);
    });
    void exited.then((code) => reject(new Error(`db-child ${mode} exited (${code}) before reporting:\n${stderr}`)));
  });
  return {
    process: child,
    report,
    exited,
    finish: () => {
      child.stdin!.end();
      return exited;
    },
  };
}
