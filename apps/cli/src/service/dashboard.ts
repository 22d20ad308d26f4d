// `sluice up` serves the dashboard: apps/web's production build, run in this process by Next's
// programmatic server, on the same port as the API. The API keeps its own node:http handlers
// (startApiServer's own server); only the other paths reach Next.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startApiServer, type InstanceTypePools, type RunningApiServer } from '@sluice/api';
import type { Core } from '@sluice/core';

export interface Dashboard {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/** The dashboard, or why there is none in words that say what to do (`sluice up` prints them and serves the API alone). */
export type DashboardLoad = { dashboard: Dashboard; missing?: undefined } | { dashboard: null; missing: string };

/** The built dashboard in `dir` (SLUICE_WEB_DIR, parsed by `sluice up`; undefined for an installed `sluice`). */
export async function loadDashboard(dir: string | undefined): Promise<DashboardLoad> {
  if (dir === undefined) {
    return {
      dashboard: null,
      missing:
        'not part of this installation: in a Sluice checkout, `npm run build -w @sluice/web` then `npm run start -w @sluice/web` with DATABASE_URL set to this database serves it (or `npx sluice up` there serves both)',
    };
  }
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
    return { dashboard: null, missing: `not built (no ${join(dir, '.next')}): run \`npm run build -w @sluice/web\`, then \`sluice up\` again` };
  }
  // `next` is the dashboard's dependency, not the CLI's: load it from there.
  const next = createRequire(join(dir, 'package.json'))('next') as (options: { dev: boolean; dir: string; quiet?: boolean }) => {
    prepare(): Promise<void>;
    getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    close?(): Promise<void>;
  };
  const app = next({ dev: false, dir, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return { dashboard: { handle: (req, res) => handle(req, res), close: async () => void (await app.close?.()) } };
}

/** The API, the sign-in routes, the SageMaker API and /healthz as startApiServer serves them; everything else to Next. */
export async function startDashboardServer({
  core,
  dashboard,
  port,
  host,
  instanceTypePools,
  log,
}: {
  core: Core;
  dashboard: Dashboard;
  port: number;
  host: string;
  instanceTypePools: InstanceTypePools;
  log: (line: string) => void;
}): Promise<RunningApiServer> {
  return startApiServer({
    core,
    port,
    host,
    instanceTypePools,
    log,
    otherwise: (req, res) => {
      dashboard.handle(req, res).catch((error: Error) => {
        log(`dashboard: ${req.method} ${req.url} failed: ${error.stack ?? error.message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('The dashboard could not answer this request; see the sluice up log.');
      });
    },
  });
}
