// The dashboard served as `sluice up` and `npm run start -w @sluice/web` serve it: apps/web's build,
// run in this process by Next's programmatic server, on the same port as the API. The API keeps its
// own node:http handlers (startApiServer's), which see each connection's address (local mode needs
// it); only the other paths (pages, assets) reach Next.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isLoopbackHost, type AuthMode, type Core } from '@sluice/core';
import { startApiServer, type RunningApiServer } from './http-server.js';
import type { InstanceTypePools } from './sagemaker/instance-pools.js';

export interface Dashboard {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/** The dashboard, or why there is none in words that say what to do (`sluice up` prints them and serves the API alone). */
export type DashboardLoad = { dashboard: Dashboard; missing?: undefined } | { dashboard: null; missing: string };

/**
 * The dashboard in `dir` (apps/web; SLUICE_WEB_DIR for `sluice up`, undefined for an installed
 * `sluice`): its production build, or with `dev` Next's development server.
 */
export async function loadDashboard(dir: string | undefined, { dev = false }: { dev?: boolean } = {}): Promise<DashboardLoad> {
  if (dir === undefined) {
    return {
      dashboard: null,
      missing:
        'not part of this installation: in a Sluice checkout, `npm run build -w @sluice/web` then `npm run start -w @sluice/web` with DATABASE_URL set to this database serves it (or `npx sluice up` there serves both)',
    };
  }
  if (!dev && !existsSync(join(dir, '.next', 'BUILD_ID'))) {
    return { dashboard: null, missing: `not built (no ${join(dir, '.next')}): run \`npm run build -w @sluice/web\`, then start again` };
  }
  // `next` is the dashboard's dependency, not the CLI's: load it from there.
  const next = createRequire(join(dir, 'package.json'))('next') as (options: { dev: boolean; dir: string; quiet?: boolean; webpack?: boolean }) => {
    prepare(): Promise<void>;
    getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    close?(): Promise<void>;
  };
  // Webpack, as `next build --webpack` (next.config.ts says why).
  const app = next({ dev, dir, quiet: !dev, webpack: true });
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

/**
 * Local mode signs every request in as the local admin, so its server listens on loopback only:
 * `command` (e.g. `sluice up`), asked for any other address without SLUICE_AUTH=required, stops
 * with what to do instead. The loopback check on each request's socket (authenticate) holds anyway.
 */
export function refuseLocalModeOffLoopback(host: string, mode: AuthMode, command: string): void {
  if (mode === 'required' || isLoopbackHost(host)) return;
  throw new Error(
    [
      `refusing to listen on ${host}: without sign-in (SLUICE_AUTH=${mode}) anyone who reaches that address would act as the local admin.`,
      'To serve other machines, require sign-in and create an admin first:',
      `  printf %s "$PASSWORD" | sluice users create --email you@example.com --team default --role admin --password-stdin`,
      `  SLUICE_AUTH=required ${command} --host ${host}`,
      `Or keep it on this machine: ${command} --host 127.0.0.1`,
    ].join('\n'),
  );
}
