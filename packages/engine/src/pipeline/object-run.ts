import type { EngineObserver } from '../observer.js';
import { failureOf, ObjectFailureError, type ObjectFailure } from './object-failure.js';

/**
 * One object's run: its abort signal, which the job's signal (stop) or the object's first failure
 * fires, and that failure. Every stage watches the signal, so a failure anywhere ends them all;
 * the errors they then raise are consequences and never replace the first reason.
 */
export class ObjectRun {
  private readonly abort = new AbortController();
  private failed: ObjectFailure | undefined;
  private completed = false;
  private readonly stopOnParent = () => this.abort.abort(this.parent!.reason);

  constructor(private readonly parent?: AbortSignal) {
    if (parent?.aborted) this.abort.abort(parent.reason);
    parent?.addEventListener('abort', this.stopOnParent, { once: true });
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Neither stopped nor failed yet. */
  get going(): boolean {
    return !this.abort.signal.aborted;
  }

  get failure(): ObjectFailure | undefined {
    return this.failed;
  }

  /** Ends the run as Failed for `error`, unless it already ended. A callback: stages pass it along. */
  readonly fail = (error: unknown): void => {
    if (!this.going) return;
    this.failed = failureOf(error);
    this.abort.abort(error instanceof ObjectFailureError ? error : new ObjectFailureError(this.failed));
  };

  /** The output is complete (visible): a stop arriving now no longer changes the outcome. */
  markCompleted(): void {
    this.completed = true;
  }

  get status(): 'Completed' | 'Failed' | 'Stopped' {
    if (this.failed !== undefined) return 'Failed';
    return this.completed || this.going ? 'Completed' : 'Stopped';
  }

  /** Stops listening to the parent signal (the run is over). */
  end(): void {
    this.parent?.removeEventListener('abort', this.stopOnParent);
  }
}

/**
 * An object's counters, reported to the observer as they change: per chunk read, per mini-batch
 * dispatched and per output written, never per record.
 */
export class ObjectTally {
  records = 0;
  recordsFailed = 0;
  bytesIn = 0;
  bytesOut = 0;

  constructor(private readonly observer: EngineObserver) {}

  /** Bytes read from storage (compressed, when the object is). */
  read(bytes: number): void {
    this.bytesIn += bytes;
    this.observer.count?.({ bytesIn: bytes });
  }

  /** Records handed to the model (or to the error policy). */
  dispatched(records: number): void {
    this.records += records;
    this.observer.count?.({ recordsIn: records });
  }

  /** Records that failed; the observer hears of them once their output is written. */
  failed(records: number): void {
    this.recordsFailed += records;
  }

  /** A mini-batch's output written: `recordsOut` answered, `recordsFailed` replaced by the placeholder. */
  written(recordsOut: number, recordsFailed: number, bytes: number): void {
    this.bytesOut += bytes;
    this.observer.count?.({ recordsOut, recordsFailed, bytesOut: bytes });
  }
}
