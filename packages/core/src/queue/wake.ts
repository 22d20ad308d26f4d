import type { Core } from '../context.js';
import { WAKE_CHANNEL } from './catalog.js';

/**
 * Calls `onQueue(name)` whenever a queue just got messages (JobQueue NOTIFYs WAKE_CHANNEL after
 * every send), so its idle handlers can fetch at once rather than at their next poll. Resolves
 * with a function that stops listening.
 */
export async function listenQueueWakes(core: Core, onQueue: (queue: string) => void): Promise<() => Promise<void>> {
  const listener = await core.sql.listen(WAKE_CHANNEL, onQueue);
  return () => listener.unlisten();
}
