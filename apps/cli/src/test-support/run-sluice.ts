import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SLUICE = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `sluice` binary, as a user would. */
export function sluice(args: string[], options: { env?: Record<string, string>; onSpawn?: (pid: number) => void } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SLUICE, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    if (child.pid) options.onSpawn?.(child.pid);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
