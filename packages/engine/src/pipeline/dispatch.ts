import type { OrderedAssembler } from './assemble.js';
import type { Limiter } from './limiter.js';
import type { FailedRecordBatch, InvokeBatch, MiniBatch } from './mini-batch.js';
import type { BatchOutput } from './response.js';

/** What the dispatcher drives: the stages before the assembler and the assembler's window. */
export interface DispatchStages {
  /** Bounds the invocations in flight; shared by every object of the run. */
  limiter: Limiter;
  /** Where outputs go, in order; its window holds back dispatching (and so reading) when full. */
  assembler: Pick<OrderedAssembler, 'waitForRoom' | 'put'>;
  signal: AbortSignal;
  /** Invokes the model for a batch (isolating failures); runs with a limiter slot held. */
  invoke(batch: InvokeBatch): Promise<BatchOutput>;
  /** The output of a record that could not be sent; throws when the error policy fails the object. */
  refuse(batch: FailedRecordBatch): BatchOutput;
  /** Counts records as they are dispatched. */
  onDispatched(records: number): void;
  /** Ends the object for an invocation's error. */
  fail(error: unknown): void;
}

/**
 * Starts mini-batches in input order under back-pressure: a batch waits until the assembler's
 * window has room for it, then for a free slot under the limiter, and runs without being awaited.
 * `dispatch` therefore returns once the batch has started, and the reading loop above it stalls
 * exactly as long as the window or the model is full: no per-record await, one per mini-batch.
 */
export class Dispatcher {
  /** Mini-batches started: the number the assembler must have written at the end. */
  batches = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly stages: DispatchStages) {}

  async dispatch(batch: MiniBatch): Promise<void> {
    const { assembler, limiter, signal } = this.stages;
    await assembler.waitForRoom(batch.seq, signal);
    this.batches++;
    this.stages.onDispatched(batch.count);
    if (batch.kind === 'failed') {
      assembler.put(batch.seq, this.stages.refuse(batch));
      return;
    }
    const release = await limiter.acquire(signal);
    const running: Promise<void> = this.stages
      .invoke(batch)
      .then((output) => assembler.put(batch.seq, output))
      .catch(this.stages.fail)
      .finally(() => {
        release();
        this.inFlight.delete(running);
      });
    this.inFlight.add(running);
  }

  /** Resolves once every started invocation has settled (its output handed over, or its failure reported). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
