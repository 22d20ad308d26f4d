// `npm run start -w @sluice/web` (and `npm run dev`): the dashboard and the API on one port, as
// `sluice up` serves them, without workers. The API's paths (tRPC, sign-in, the SageMaker API) are
// answered by @sluice/api's node:http handlers, which see each connection's address, so local mode
// can tell a client on this machine from one elsewhere; Next serves the pages.
// This is the web server's entry point: its flags and environment are read here, once.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDashboard, refuseLocalModeOffLoopback, startDashboardServer } from '@sluice/api';
import { serverCore, webServerSettings } from './src/server/core';

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    dev: { type: 'boolean', default: false },
  },
});
const port = Number(flags.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0-65535), not '${flags.port}'`);

const settings = webServerSettings();
refuseLocalModeOffLoopback(flags.host, settings.auth.mode, 'npm run start -w @sluice/web --');
const say = (line: string) => process.stderr.write(`${line}\n`);
const core = await serverCore();
const { dashboard, missing } = await loadDashboard(dirname(fileURLToPath(import.meta.url)), { dev: flags.dev });
if (!dashboard) {
  say(`sluice dashboard: ${missing}`);
  process.exit(1);
}
const server = await startDashboardServer({ core, dashboard, port, host: flags.host, instanceTypePools: settings.instanceTypePools, log: say });
say(`sluice dashboard: ${server.url} (SLUICE_AUTH=${settings.auth.mode})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([server.close(), dashboard.close()])
      .then(() => core.close())
      .finally(() => process.exit(0));
  });
}
