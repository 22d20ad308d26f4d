// Where the service is and who calls it. The SDK reads SLUICE_URL and SLUICE_TOKEN only when a
// client is made without them; the CLI reads them once, in its own entry, through the same function.
import type { SluiceClientOptions } from './client.js';

/** Where `sluice up` listens: the service's URL when none is given. */
export const DEFAULT_SLUICE_URL = 'http://127.0.0.1:3000';

/** SLUICE_URL and SLUICE_TOKEN, as set (unparsed: serviceBaseUrl and bearerToken read them). */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): SluiceClientOptions {
  return { url: env.SLUICE_URL, token: env.SLUICE_TOKEN };
}

/**
 * The base URL without trailing slashes, DEFAULT_SLUICE_URL when `given` is blank, or undefined
 * when it is not an http(s) URL (each caller says how to fix it in its own terms).
 */
export function serviceBaseUrl(given: string | undefined): string | undefined {
  const url = (given?.trim() || DEFAULT_SLUICE_URL).replace(/\/+$/, '');
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol) ? url : undefined;
}

/** The token to send, or undefined when `given` is blank. */
export function bearerToken(given: string | undefined): string | undefined {
  return given?.trim() || undefined;
}
