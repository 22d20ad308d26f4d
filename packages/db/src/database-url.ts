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

export interface ResolveDatabaseUrlOptions {
  env?: NodeJS.ProcessEnv;
  /** The Sluice home; default SLUICE_HOME, else `<cwd>/.sluice`. */
  home?: string;
}

export function defaultSluiceHome(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return env.SLUICE_HOME || join(cwd, '.sluice');
}

export async function resolveDatabaseUrl(options: ResolveDatabaseUrlOptions = {}): Promise<ResolvedDatabase> {
  const env = options.env ?? process.env;
  const url = env.DATABASE_URL?.trim();
  if (url) return { url, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ home: options.home ?? defaultSluiceHome(env) });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
