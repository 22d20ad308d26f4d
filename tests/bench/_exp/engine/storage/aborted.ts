import { StorageError } from './object-store.js';

/** The error every store gives when its work is stopped by an AbortSignal. */
export function abortedError(uri: string, action: string, signal?: AbortSignal): StorageError {
  const reason = signal?.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new StorageError('Aborted', uri, `Stopped ${action} ${uri}${reason}.`, { cause: signal?.reason });
}

/** Throws `abortedError` when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, uri: string, action: string): void {
  if (signal?.aborted) throw abortedError(uri, action, signal);
}
