import { abortReason } from './limiter.js';
import type { BatchOutput } from './response.js';

/** Memory for batches waiting to be written, per task: the window never holds more than this. */
const WINDOW_BYTES = 256 * 1024 * 1024;

/**
 * How many batches may be in the window: enough to keep every limiter slot busy while the oldest
 * batch is written (capacity + 1 at least, twice that at most), within WINDOW_BYTES of payloads.
 */
export function windowFor(capacity: number, maxBatchBytes: number): number {
  return Math.max(capacity + 1, Math.min(2 * capacity + 2, Math.floor(WINDOW_BYTES / maxBatchBytes)));
}

/**
 * Writes mini-batch outputs strictly in input order although they finish in any order. The
 * window bounds how far ahead of the last written batch a new one may start, so memory holds at
 * most `window` batches whatever the object's size, and a slow writer holds back the readers.
 */
export class OrderedAssembler {
  private readonly ready = new Map<number, BatchOutput>();
  private written = 0;
  private pumping = false;
  private failure: Error | undefined;
  private readonly roomWaiters: Array<{ seq: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private doneWaiter: { total: number; resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly sink: (output: BatchOutput) => Promise<void>,
    readonly window: number,
  ) {}

  /** Resolves once batch `seq` may start without running more than `window` batches ahead. */
  waitForRoom(seq: number, signal: AbortSignal): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (seq < this.written + this.window) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        seq,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e: Error) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        this.roomWaiters.splice(this.roomWaiters.indexOf(waiter), 1);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.roomWaiters.push(waiter);
    });
  }

  /** Hands over batch `seq`'s output; it is written once every batch before it is. */
  put(seq: number, output: BatchOutput): void {
    this.ready.set(seq, output);
    void this.pump();
  }

  /** Resolves when `total` batches have been written; rejects with the sink's error. */
  finish(total: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.written >= total) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.doneWaiter = { total, resolve, reject };
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.failure) return;
    this.pumping = true;
    try {
      let next = this.ready.get(this.written);
      while (next) {
        this.ready.delete(this.written);
        await this.sink(next);
        this.written++;
        this.wake();
        next = this.ready.get(this.written);
      }
    } catch (error) {
      this.failure = error as Error;
      this.ready.clear();
      for (const waiter of this.roomWaiters.splice(0)) waiter.reject(this.failure);
      this.doneWaiter?.reject(this.failure);
    } finally {
      this.pumping = false;
    }
  }

  private wake(): void {
    const limit = this.written + this.window;
    for (let i = this.roomWaiters.length - 1; i >= 0; i--) {
      const waiter = this.roomWaiters[i]!;
      if (waiter.seq < limit) {
        this.roomWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (this.doneWaiter && this.written >= this.doneWaiter.total) this.doneWaiter.resolve();
  }
}
