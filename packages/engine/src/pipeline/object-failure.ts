/**
 * Why an object (or a shard of one) failed, as data. The engine hands it to its caller; the
 * worker passes it to the job service, which adds the shard. It becomes text in one place,
 * `describeObjectFailure`, and SageMaker's FailureReason is built from those texts by
 * `failureReason`. Nothing parses the text back.
 */
export interface ObjectFailure {
  /** What went wrong and what to change, without the position: the fields below add it. */
  message: string;
  /** The records to blame: the first one's index and byte offset in the object (or shard), and how many. */
  records?: { first: number; count: number; byteOffset: number };
  /** What the model answered last: its HTTP status or why no answer came, and the first bytes of its body. */
  model?: { status: number | string; bodyHead?: string };
  /** The shard the task ran, when the object was split into several; the job service numbers them. */
  shard?: { index: number; start: number; end: number };
}

/** Thrown inside an object's stages to end it as Failed for `failure`. */
export class ObjectFailureError extends Error {
  override readonly name = 'ObjectFailureError';
  constructor(readonly failure: ObjectFailure) {
    super(describeObjectFailure(failure));
  }
}

/** The failure of `error`: its own when it is an ObjectFailureError, else its message. */
export function failureOf(error: unknown): ObjectFailure {
  if (error instanceof ObjectFailureError) return error.failure;
  return { message: (error as Error)?.message ?? String(error) };
}

/** One object's failure in words: `shard 2 (bytes 0–9): record 7 (byte 120): model … answered 400 …`. */
export function describeObjectFailure(failure: ObjectFailure): string {
  const { shard, records } = failure;
  const inShard = shard ? `shard ${shard.index} (bytes ${shard.start}–${shard.end}): ` : '';
  if (!records) return `${inShard}${failure.message}`;
  const where =
    records.count === 1
      ? `record ${records.first} (byte ${records.byteOffset})`
      : `records ${records.first}–${records.first + records.count - 1} (from byte ${records.byteOffset})`;
  return `${inShard}${where}: ${failure.message}`;
}

/**
 * SageMaker's FailureReason (≤ 1024 characters): how many objects failed, then each and why.
 * `failed` is the number of failed objects when `failures` lists only some of them.
 */
export function failureReason(failures: Array<{ input: string; reason: string }>, total: number, failed = failures.length): string {
  let text = `${failed} of ${total} object${total === 1 ? '' : 's'} failed: `;
  for (const [i, f] of failures.entries()) {
    const item = `${i > 0 ? '; ' : ''}${f.input}: ${f.reason}`;
    if (text.length + item.length > 1000) {
      text += `; and ${failed - i} more`;
      break;
    }
    text += item;
  }
  return text.slice(0, 1024);
}
