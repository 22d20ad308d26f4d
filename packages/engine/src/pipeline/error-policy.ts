import type { TransformParams } from '../params.js';
import { batchByteOffset, type MiniBatch } from './mini-batch.js';
import { ObjectFailureError, type ObjectFailure } from './object-failure.js';
import type { ObjectTally } from './object-run.js';
import { placeholderOutput, type BatchOutput, type OutputShape, type RecordFailure } from './response.js';

/** Why records failed, before they are named by position. */
export type RecordFault = Omit<RecordFailure, 'recordIndex' | 'byteOffset'>;

/**
 * The job's ErrorPolicy. `fail-object` (the default) ends the object at its first bad record and
 * writes nothing; `placeholder` writes the placeholder in a bad record's place, says why in the
 * errors file, and fails the object only when more than MaxRecordErrorRate of its records failed.
 */
export class ErrorPolicy {
  readonly placeholderMode: boolean;
  private readonly placeholder: Buffer;
  private readonly maxRecordErrorRate: number;

  constructor(
    policy: TransformParams['errorPolicy'],
    private readonly shape: OutputShape,
    private readonly tally: ObjectTally,
  ) {
    this.placeholderMode = policy.mode === 'placeholder';
    this.placeholder = Buffer.from(policy.placeholder);
    this.maxRecordErrorRate = policy.maxRecordErrorRate;
  }

  /** The placeholder that stands for a record whose output could not be made. */
  get placeholderBytes(): Buffer {
    return this.placeholder;
  }

  /**
   * The output of a batch whose every record failed for `fault`: placeholders, or (fail-object)
   * an ObjectFailureError naming the batch's records.
   */
  refuse(batch: MiniBatch, fault: RecordFault): BatchOutput {
    if (this.placeholderMode) return placeholderOutput(batch, this.shape, this.placeholder, fault);
    this.tally.failed(batch.count);
    throw new ObjectFailureError(recordsFailure({ first: batch.firstRecord, count: batch.count, byteOffset: batchByteOffset(batch) }, fault));
  }

  /** Counts the failed records of an output about to be written; under fail-object the first one ends the object. */
  screen(output: BatchOutput): void {
    if (output.failures.length === 0) return;
    this.tally.failed(output.failures.length);
    if (this.placeholderMode) return;
    const first = output.failures[0]!;
    throw new ObjectFailureError(recordsFailure({ first: first.recordIndex, count: 1, byteOffset: first.byteOffset }, first));
  }

  /** Fails the object when more than MaxRecordErrorRate of its records failed (placeholder policy). */
  checkErrorRate(outputUri: string): void {
    const { records, recordsFailed } = this.tally;
    if (records === 0 || recordsFailed / records <= this.maxRecordErrorRate) return;
    throw new ObjectFailureError({
      message: `${recordsFailed} of ${records} records failed (${((100 * recordsFailed) / records).toFixed(1)}%), over MaxRecordErrorRate ${this.maxRecordErrorRate}; see ${outputUri}.errors.jsonl`,
    });
  }
}

function recordsFailure(records: NonNullable<ObjectFailure['records']>, fault: RecordFault): ObjectFailure {
  return { message: fault.reason, records, ...(fault.status !== undefined ? { model: modelAnswer(fault) } : {}) };
}

/** What the model answered, as failure data: its status and the first bytes of its body. */
export function modelAnswer(fault: RecordFault): NonNullable<ObjectFailure['model']> {
  return { status: fault.status!, ...(fault.response?.length ? { bodyHead: fault.response.subarray(0, 256).toString('utf8') } : {}) };
}
