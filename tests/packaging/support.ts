// What the packaging tests share: npm and node run as on a user's machine, outside the repository.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell: this one, with this node first on PATH, less what belongs to
 * this repository's run: NODE_OPTIONS (the source condition), the npm_* variables of the `npm test`
 * that started us (npm_config_local_prefix would point npm back at the repository, and the
 * repository's .npmrc settings are not a user's; their own ~/.npmrc still applies), the test
 * database and vitest's variables. HOME stays, so npm reads the cache `npm ci` filled; proxies
 * and CA certificates stay, so it reaches the registry for anything else. npm's logs go to
 * `scratch`, not to ~/.npm.
 */
export function userEnv(scratch: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|VITEST|SLUICE_|DATABASE_URL$|NODE_OPTIONS$|NODE_ENV$|INIT_CWD$|TEST$)/i.test(name)) continue;
    env[name] = value;
  }
  env.PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(':');
  return {
    ...env,
    npm_config_logs_dir: join(scratch, 'npm-logs'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Whatever `npm ci` already fetched comes from the cache; anything else from the registry.
    npm_config_prefer_offline: 'true',
    ...extra,
  };
}

/** Runs a command to its end and collects its output; rejects only if it cannot start or outlives `timeoutMs`. */
export function run(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took over ${options.timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails with the command's output unless it exited 0. */
export function succeeded(result: Run, what: string): Run {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

export interface PackedTarball {
  name: string;
  path: string;
  size: number;
  unpackedSize: number;
}

/** `npm pack` of workspace packages as a publisher runs it (prepack builds them), into `destination`. */
export async function packWorkspaces(workspaces: string[], destination: string, env: Record<string, string>): Promise<PackedTarball[]> {
  const packed = succeeded(
    await run('npm', ['pack', ...workspaces.map((w) => `--workspace=${w}`), '--pack-destination', destination, '--json'], { cwd: REPO, env, timeoutMs: 180_000 }),
    'npm pack',
  );
  const reports = JSON.parse(packed.stdout) as Array<{ name: string; filename: string; size: number; unpackedSize: number }>;
  return reports.map((r) => ({ name: r.name, path: join(destination, r.filename), size: r.size, unpackedSize: r.unpackedSize }));
}
