import { tryHoldSessionLock, type HeldLock } from '@sluice/db';
import type { Core } from '../context.js';

export type { HeldLock } from '@sluice/db';

/**
 * Takes the session advisory lock `key` if it is free, on a connection of its own held until
 * release (and released by Postgres if this process dies); null when another session holds it.
 */
export function tryHoldLock(core: Core, key: bigint): Promise<HeldLock | null> {
  return tryHoldSessionLock(core.sql, key);
}
