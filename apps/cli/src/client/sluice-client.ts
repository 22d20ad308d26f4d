import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
// Types only: the CLI talks to the service over HTTP like any user, and loads no server code.
import type { AppRouter } from '@sluice/api';
import { UsageError } from '../exit-codes.js';

export const DEFAULT_SLUICE_URL = 'http://127.0.0.1:3000';

export type SluiceClient = ReturnType<typeof createSluiceClient>;

export interface ServiceSettings {
  /** The service's base URL (SLUICE_URL), without the API path. */
  url: string;
  /** Sent as `authorization: Bearer` (SLUICE_TOKEN). */
  token: string | undefined;
}

/** Where the service is, from SLUICE_URL (default: what `sluice up` listens on) and SLUICE_TOKEN. */
export function serviceSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const url = (env.SLUICE_URL?.trim() || DEFAULT_SLUICE_URL).replace(/\/+$/, '');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`SLUICE_URL must be an http(s) URL such as ${DEFAULT_SLUICE_URL} (got '${env.SLUICE_URL}')`);
  }
  return { url, token: env.SLUICE_TOKEN?.trim() || undefined };
}

export function createSluiceClient({ url, token }: ServiceSettings) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/api/trpc`,
        transformer: superjson,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}
