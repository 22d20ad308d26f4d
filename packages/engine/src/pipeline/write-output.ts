import type { ObjectStore, ObjectWriter } from '../storage/object-store.js';
import { ObjectFailureError } from './object-failure.js';
import type { BatchOutput, RecordFailure } from './response.js';

/** Where a task's output goes: `<key>` and, when records failed under the placeholder policy, `<key>.errors.jsonl`. */
export interface OutputTarget {
  store: ObjectStore;
  key: string;
}

export interface OutputOptions {
  /** TransformOutput.KmsKeyId. */
  kmsKeyId?: string;
  /** TransformOutput.Accept: the output object's content type. */
  contentType?: string;
  /** The input's size, to size multipart parts. */
  expectedSize?: number;
  signal: AbortSignal;
}

/**
 * The two writers of a task: the output object, opened at once, and its errors file, opened at the
 * first failed record. Neither is visible before `complete()`; `abort()` leaves nothing behind.
 */
export class OutputWriter {
  readonly uri: string;
  private readonly out: ObjectWriter;
  private errors: ObjectWriter | undefined;

  constructor(
    private readonly target: OutputTarget,
    private readonly options: OutputOptions,
  ) {
    this.uri = target.store.uri(target.key);
    this.out = target.store.createWriter(target.key, {
      kmsKeyId: options.kmsKeyId,
      contentType: options.contentType,
      expectedSize: options.expectedSize,
      signal: options.signal,
    });
  }

  /** The errors file's URI, once a record failed. */
  get errorsUri(): string | undefined {
    return this.errors ? `${this.uri}.errors.jsonl` : undefined;
  }

  /** Writes a mini-batch's output and its failed records' lines; resolves with the output bytes written. */
  async write(output: BatchOutput): Promise<number> {
    try {
      if (output.failures.length > 0) {
        this.errors ??= this.target.store.createWriter(`${this.target.key}.errors.jsonl`, {
          kmsKeyId: this.options.kmsKeyId,
          contentType: 'application/jsonlines',
          signal: this.options.signal,
        });
        await this.errors.write(Buffer.from(output.failures.map(errorLine).join('')));
      }
      const data = output.chunks.length === 1 ? output.chunks[0]! : Buffer.concat(output.chunks);
      if (data.length > 0) await this.out.write(data);
      return data.length;
    } catch (error) {
      throw this.writeFailure(error);
    }
  }

  /** Makes both objects visible: the errors file first, so an output never appears without it. */
  async complete(): Promise<void> {
    try {
      await this.errors?.complete();
      await this.out.complete();
    } catch (error) {
      throw this.writeFailure(error);
    }
  }

  async abort(): Promise<void> {
    await Promise.allSettled([this.out.abort(), this.errors?.abort()]);
  }

  private writeFailure(error: unknown): ObjectFailureError {
    return new ObjectFailureError({ message: `writing ${this.uri}: ${(error as Error)?.message ?? String(error)}` });
  }
}

/** One line of the errors file: the record, where it is, why it failed and what the model said. */
export function errorLine(failure: RecordFailure): string {
  return `${JSON.stringify({
    recordIndex: failure.recordIndex,
    byteOffset: failure.byteOffset,
    reason: failure.reason,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(failure.response ? { response: failure.response.subarray(0, 256).toString('utf8') } : {}),
  })}\n`;
}
