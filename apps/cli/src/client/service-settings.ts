import { bearerToken, connectionFromEnv, DEFAULT_SLUICE_URL, serviceBaseUrl } from '@sluice/sdk';
import { UsageError } from '../exit-codes.js';

export interface ServiceSettings {
  /** The service's base URL (SLUICE_URL), without the API path. */
  url: string;
  /** Sent as `authorization: Bearer` (SLUICE_TOKEN). */
  token: string | undefined;
}

/**
 * Where the service is, from SLUICE_URL (default: what `sluice up` listens on) and SLUICE_TOKEN:
 * read once when a client command starts, then handed to the SDK's client.
 */
export function serviceSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const given = connectionFromEnv(env);
  const url = serviceBaseUrl(given.url);
  if (url === undefined) throw new UsageError(`SLUICE_URL must be an http(s) URL such as ${DEFAULT_SLUICE_URL} (got '${given.url}')`);
  return { url, token: bearerToken(given.token) };
}
