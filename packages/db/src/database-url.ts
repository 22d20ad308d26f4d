// Which PostgreSQL a Sluice process talks to: DATABASE_URL when set, else the embedded server of
// the Sluice home, started (or joined) on demand.
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded.js';

export interface ResolvedDatabase {
  url: string;
  /** True when the URL is the embedded server's. */
  embedded: boolean;
  /** Stops the embedded server if this process started it; a no-op for DATABASE_URL. */
  stop(): Promise<void>;
}

/** Where a process's database comes from, read once from its environment at start-up (databaseSettings). */
export interface DatabaseSettings {
  /** DATABASE_URL; null: the embedded server of `home`. */
  url: string | null;
  /** The Sluice home: SLUICE_HOME, else `<cwd>/.sluice`. */
  home: string;
  /** The environment an embedded server inherits: the process's own (startEmbeddedPostgres drops libpq's PG* from it). */
  serverEnv: Record<string, string>;
}

/** DATABASE_URL and SLUICE_HOME from an environment; both may be unset. The README's configuration table lists them. */
export function databaseSettings(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): DatabaseSettings {
  const serverEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) serverEnv[key] = value;
  return { url: env.DATABASE_URL?.trim() || null, home: defaultSluiceHome(env, cwd), serverEnv };
}

export interface ResolveDatabaseUrlOptions {
  /** The environment to read DATABASE_URL and SLUICE_HOME from. */
  env: NodeJS.ProcessEnv;
  /** The Sluice home; default SLUICE_HOME, else `<cwd>/.sluice`. */
  home?: string;
}

export function defaultSluiceHome(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  return env.SLUICE_HOME || join(cwd, '.sluice');
}

/** The database of parsed settings: DATABASE_URL's, else the embedded server of the home, started or joined. */
export async function openDatabase(settings: DatabaseSettings): Promise<ResolvedDatabase> {
  if (settings.url) return { url: settings.url, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ home: settings.home, env: settings.serverEnv });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}

/** openDatabase over an environment rather than parsed settings (tests, scripts). */
export async function resolveDatabaseUrl(options: ResolveDatabaseUrlOptions): Promise<ResolvedDatabase> {
  const settings = databaseSettings(options.env);
  return openDatabase({ ...settings, home: options.home ?? settings.home });
}
