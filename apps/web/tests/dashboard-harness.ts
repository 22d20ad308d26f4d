// A real Sluice behind a real dashboard for the browser tests: a fresh migrated database, the job
// service, one in-process worker, reference model servers, the built Next app in its own process
// (as `npm start` runs it), and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import { afterAll, beforeAll } from 'vitest';
import { appRouter, createCallerFactory } from '@sluice/api';
import { LOCAL_ACTOR, openCore } from '@sluice/core';
import { startTestDatabase } from '@sluice/db';
import { tempDir } from '@sluice/testkit';
import { startWorker, workerOptions, workerSettings } from '@sluice/worker';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = join(webRoot, 'test-results', 'screenshots');

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/**
 * The whole stack for one test file. `env` is put in this process's env while the service starts
 * (and handed to the Next process), so the test's own core and worker agree with the dashboard;
 * `core` is returned to create users and teams with the core's use cases as `sluice users create` does.
 */
export async function startDashboard(env: Record<string, string> = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run does it). These browser tests cannot run without it.`);
  if (!existsSync(join(webRoot, '.next', 'BUILD_ID'))) throw new Error('apps/web is not built: run `npm run build -w @sluice/web` (npm test does it).');
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const database = await startTestDatabase();
    stops.push(database.stop);
    const settings = workerSettings(process.env);
    const core = await openCore({ databaseUrl: database.url, settings: { secretKey: settings.secretKey, auth: settings.auth } });
    stops.push(core.close);
    const worker = await startWorker({ ...workerOptions(settings, database.url), concurrency: 2, pollingIntervalSeconds: 0.5, heartbeatSeconds: 1, housekeepingSeconds: 1, flushSeconds: 0.5 });
    stops.push(worker.stop);
    const files = await tempDir('sluice-web-test');
    stops.push(files.remove);
    const web = await startNext(database.url);
    stops.push(web.stop);
    const profile = await tempDir('sluice-chromium');
    stops.push(profile.remove);
    const browser = await chromium.launchPersistentContext(profile.path, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1366, height: 900 } });
    stops.unshift(() => browser.close());
    const api = createCaller({ core, actor: LOCAL_ACTOR });
    await mkdir(SCREENSHOTS, { recursive: true });
    return { url: web.url, api, core, browser, files: files.path, webLog: web.log, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Writes `lines` as an object under `dir` and returns the directory's file:// URI. */
export async function writeInput(dir: string, key: string, lines: string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, key), `${lines.join('\n')}\n`);
  return `${pathToFileURL(dir).href}/`;
}

export async function waitForStatus(api: Caller, name: string, statuses: string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api.jobs.describe({ name });
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${name} is ${job.status} after ${timeoutMs} ms, expected ${statuses.join(' or ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function openPage(browser: BrowserContext, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  return page;
}

/** The dashboard's server (server.ts, as `npm start` runs it) in a child process, with the service's database in its env. */
async function startNext(databaseUrl: string): Promise<{ url: string; log: string[]; stop(): Promise<void> }> {
  const port = await freePort();
  const log: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--conditions=@sluice/source', join(webRoot, 'server.ts'), '--port', String(port)], {
    cwd: webRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dashboard server exited with ${child.exitCode}:\n${log.join('')}`);
    const ok = await fetch(`${url}/jobs`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the dashboard server did not answer within 60 s:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * For a test file that needs the dashboard and one reference model registered under its mode's
 * name (e.g. 'upper'): starts both before the file's tests and stops them after.
 */
export function dashboardWithModel(mode = 'upper') {
  const fixture = {} as { dash: Awaited<ReturnType<typeof startDashboard>>; model: RunningModelServer };
  beforeAll(async () => {
    fixture.dash = await startDashboard();
    fixture.model = await startModelServer(mode);
    await fixture.dash.api.models.create({ name: mode, kind: 'http', url: fixture.model.url });
  });
  afterAll(async () => {
    await fixture.model?.stop();
    await fixture.dash?.stop();
  });
  return fixture;
}

/** startDashboard for sign-in (#7): SLUICE_AUTH=required, SLUICE_FILE_ROOTS allowing the system temp directory and any model URL (required mode allows neither until told). */
export function startDashboardWithAuth(env: Record<string, string> = {}) {
  return startDashboard({ SLUICE_AUTH: 'required', SLUICE_FILE_ROOTS: `${pathToFileURL(tmpdir()).href}/`, SLUICE_MODEL_URL_ALLOW: '*', ...env });
}

/** Polls comparisons.describe until the comparison reaches one of `statuses` (its jobs run first). */
export async function waitForComparison(api: Caller, name: string, statuses: string[], timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const comparison = await api.comparisons.describe({ name });
    if (statuses.includes(comparison.status)) return comparison;
    if (Date.now() > deadline) throw new Error(`comparison ${name} is ${comparison.status} after ${timeoutMs} ms, expected ${statuses.join(' or ')}${comparison.failureReason ? ` (${comparison.failureReason})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
