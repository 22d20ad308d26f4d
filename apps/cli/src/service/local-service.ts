import { loadDashboard, startApiServer, startDashboardServer, type RunningApiServer } from '@sluice/api';
import { openCore } from '@sluice/core';
import { startWorker, workerOptions, type RunningWorker } from '@sluice/worker';
import { prepareDatabase } from './database.js';
import type { LocalServiceSettings } from './settings.js';
import { untilStopped } from './until-stopped.js';

export interface LocalServiceOptions {
  port: number;
  host: string;
  workers: number;
  workerConcurrency: number;
  /** What `sluice up` parsed from its environment at start. */
  settings: LocalServiceSettings;
}

/**
 * `sluice up`: the database, migrations, the API and in-process workers, until Ctrl-C; then
 * everything stops in reverse order (workers hand their running tasks back first).
 */
export async function runLocalService(options: LocalServiceOptions): Promise<void> {
  const say = (line: string) => process.stderr.write(`sluice: ${line}\n`);
  const { settings } = options;
  const database = await prepareDatabase(settings.database);
  const stops: Array<() => Promise<void>> = [database.stop];
  try {
    const core = await openCore({ databaseUrl: database.url, storage: settings.storage, settings: { secretKey: settings.secretKey, auth: settings.auth } });
    stops.unshift(core.close);
    // The dashboard (apps/web's production build) on the same port: the API routes stay with the
    // API server, every other path goes to Next. Without a build, the API is served alone.
    const { dashboard, missing } = await loadDashboard(settings.webDir);
    if (dashboard) stops.unshift(dashboard.close);
    else say(`the dashboard is ${missing}; serving the API only`);
    const { instanceTypePools } = settings;
    const server = await listen(
      () =>
        dashboard
          ? startDashboardServer({ core, dashboard, port: options.port, host: options.host, instanceTypePools, log: say })
          : startApiServer({ core, port: options.port, host: options.host, instanceTypePools, log: say }),
      options,
    );
    stops.unshift(server.close);
    const workers: RunningWorker[] = [];
    stops.unshift(() => Promise.all(workers.map((w) => w.stop())).then(() => undefined));
    for (let i = 0; i < options.workers; i++) {
      workers.push(await startWorker({ ...workerOptions(settings, database.url), concurrency: options.workerConcurrency, log: say }));
    }

    const required = core.settings.auth.mode === 'required';
    process.stdout.write(
      [
        `Sluice is up at ${server.url}`,
        `  dashboard ${dashboard ? `${server.url}/jobs` : missing}`,
        `  API       ${server.url}/api/trpc`,
        `  database  ${database.where}`,
        `  workers   ${options.workers} in this process, pool default, ${options.workerConcurrency} task slots each`,
        required
          ? '  sign-in   required (SLUICE_AUTH=required): add people with `sluice users create --email E --team T --role admin --password-stdin`'
          : '  sign-in   local mode: every request from this machine acts as the local admin',
        required
          ? `Try: sluice tokens create --email E, then SLUICE_URL=${server.url} SLUICE_TOKEN=<token> sluice models list    (Ctrl-C stops everything)`
          : `Try: SLUICE_URL=${server.url} sluice models list    (Ctrl-C stops everything)`,
        '',
      ].join('\n'),
    );
    await untilStopped(say);
  } finally {
    for (const stop of stops) await stop().catch((error: Error) => say(`while stopping: ${error.message}`));
  }
}

async function listen(start: () => Promise<RunningApiServer>, { port, host }: { port: number; host: string }): Promise<RunningApiServer> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`${host}:${port} is taken: is \`sluice up\` already running? choose another port with --port`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${host}: no such address on this machine (--host)`);
    throw error;
  }
}
