// The dashboard is a Next.js production build that `sluice up` serves when it exists. A fresh
// clone has none: the demo builds it once, after its jobs, so they need not wait for it.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * `npm run build -w @sluice/web`, its output into `logFile`. Under flock(1) where there is one:
 * two `next build`s in one tree (the demo's and the browser tests') would corrupt each other.
 */
export async function buildDashboard(repo: string, logFile: string): Promise<void> {
  const build = ['npm', 'run', 'build', '-w', '@sluice/web'];
  const code = await run('flock', ['/tmp/sluice-web.lock', ...build], repo, logFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    return run(build[0]!, build.slice(1), repo, logFile); // no flock (macOS): build unguarded
  });
  if (code !== 0) throw new Error(`building the dashboard failed (exit code ${code}): see ${logFile}`);
}

function run(command: string, args: string[], cwd: string, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', (error) => log.end(() => reject(error)));
    child.once('close', (code, signal) => log.end(() => resolve(code ?? (signal ? 130 : 1))));
  });
}
