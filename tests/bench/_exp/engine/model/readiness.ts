import { setTimeout as sleep } from 'node:timers/promises';
import { seconds } from './format.js';
import { TransportError, type ModelTransport } from './transport.js';

/** SageMaker gives each health check 2 s. */
export const PING_TIMEOUT_MS = 2_000;

export interface WaitUntilHealthyOptions {
  timeoutMs: number;
  /** The longest pause between checks (they start faster: a model is often up in milliseconds). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** For a spawned model: false once its process is gone, which ends the wait at once. */
  isAlive?: () => boolean;
  /** For a spawned model: resolves with its exit code, which ends the wait at once and is reported. */
  exited?: Promise<number | null>;
  /** For a spawned model: its last output lines, shown in the error. */
  lastLogLines?: () => string[];
}

/** The model never answered /ping with 200, or its process ended first. */
export class ModelNotHealthyError extends Error {
  override readonly name = 'ModelNotHealthyError';
}

/**
 * Poll GET /ping until it answers 200. Rejects with ModelNotHealthyError when `timeoutMs` pass
 * first or the model's process ends (with its exit code and last lines of output), and with
 * TransportError('aborted') when the caller aborts.
 */
export async function waitUntilHealthy(transport: ModelTransport, options: WaitUntilHealthyOptions): Promise<void> {
  const { timeoutMs, intervalMs = 500, signal, isAlive, exited, lastLogLines } = options;
  const deadline = performance.now() + timeoutMs;
  let exit: { code: number | null } | undefined;
  void exited?.then((code) => (exit = { code }));
  // Wakes the pause between checks when the process ends, so a crash is reported at once.
  const stop = new AbortController();
  void exited?.then(() => stop.abort());
  const pauseSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;

  try {
    for (let pause = Math.min(25, intervalMs); ; pause = Math.min(pause * 2, intervalMs)) {
      if (signal?.aborted) throw new TransportError('aborted', `waiting for ${transport.describe} to become healthy was aborted`);
      const left = deadline - performance.now();
      if (exit || (isAlive && !isAlive())) throw notHealthy(`the model at ${transport.describe} did not become healthy: the process ${exitText(exit)}`, lastLogLines);
      if (left <= 0) break;
      if (await transport.ping(Math.min(PING_TIMEOUT_MS, left), signal)) return;
      await sleep(Math.min(pause, Math.max(0, deadline - performance.now())), undefined, { signal: pauseSignal }).catch(() => {});
    }
  } finally {
    stop.abort();
  }
  throw notHealthy(`the model at ${transport.describe} did not become healthy within ${seconds(timeoutMs)}: GET /ping never answered 200`, lastLogLines);
}

function exitText(exit: { code: number | null } | undefined): string {
  if (!exit) return 'exited';
  return exit.code === null ? 'was killed by a signal' : `exited with code ${exit.code}`;
}

function notHealthy(what: string, lastLogLines: (() => string[]) | undefined): ModelNotHealthyError {
  const lines = lastLogLines?.() ?? [];
  const tail = lines.length > 0 ? `\nlast output of the model:\n${lines.map((l) => `  ${l}`).join('\n')}` : '';
  return new ModelNotHealthyError(what + tail);
}
