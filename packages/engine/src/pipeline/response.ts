import type { InferenceIdStamper } from '../capture/inference-id.js';
import type { RecordProcessor } from '../filter/record-processor.js';
import type { AssembleWith, SplitType, TransformParams } from '../params.js';
import { bareRecord } from '../split/index.js';
import { forEachRecord, type MiniBatch } from './mini-batch.js';

const NEWLINE = 0x0a;
const CR = 0x0d;
const NEWLINE_BYTES = Buffer.from('\n');

/** How a task turns model answers into output bytes; fixed for the whole task. */
export interface OutputShape {
  splitType: SplitType;
  strategy: 'SingleRecord' | 'MultiRecord';
  assembleWith: AssembleWith;
  processor: RecordProcessor | undefined;
  /** GenerateInferenceId: appends an id and time to each record's output, after DataProcessing. */
  stamper: InferenceIdStamper | undefined;
  /** Each record's output must be known on its own (placeholder policy): count lines even for AssembleWith None. */
  perRecord: boolean;
  bareRecord: (framed: Buffer) => Buffer;
}

/** The output shape of a run's parameters; `perRecord` under the placeholder error policy. */
export function outputShape(params: TransformParams, processor: RecordProcessor | undefined, stamper?: InferenceIdStamper): OutputShape {
  return {
    splitType: params.splitType,
    strategy: params.batchStrategy,
    assembleWith: params.assembleWith,
    processor,
    stamper,
    perRecord: params.errorPolicy.mode === 'placeholder',
    bareRecord: (framed) => bareRecord(params.splitType, framed),
  };
}

/** A record whose output could not be made; the object fails, or a placeholder takes its place. */
export interface RecordFailure {
  recordIndex: number;
  byteOffset: number;
  reason: string;
  /** The model's HTTP status, or the transport failure. */
  status?: number | string;
  /** The first bytes of what the model answered. */
  response?: Buffer;
}

/** What one mini-batch contributes to its object's output, in order. */
export interface BatchOutput {
  chunks: Buffer[];
  recordsOut: number;
  failures: RecordFailure[];
}

/** The model's answer does not hold one output per input record. */
export class CountMismatchError extends Error {
  override readonly name = 'CountMismatchError';
}

/**
 * Turns the model's answer for `batch` into output bytes. Throws CountMismatchError when a
 * MultiRecord Line answer must be split per record and its line count differs from the batch's.
 *
 * The common case (no DataProcessing, answers already one line per record with '\n') writes the
 * model's body as it is: no per-record work. Inference ids alone cost one buffer per batch.
 */
export function buildBatchOutput(batch: MiniBatch, body: Buffer, shape: OutputShape, placeholder: Buffer): BatchOutput {
  const { stamper } = shape;
  const multiLine = shape.strategy === 'MultiRecord' && shape.splitType === 'Line';
  const lineAligned = multiLine && (shape.assembleWith === 'Line' || shape.processor !== undefined || shape.perRecord || stamper !== undefined);

  if (!lineAligned) {
    // One answer for the batch: SingleRecord, SplitType None, or binary/None assembly.
    if (shape.processor) return joinRecords(batch, [stripNewline(body)], shape, placeholder);
    if (stamper) {
      const stamped = stamper.stamp(stripNewline(body));
      return { chunks: shape.assembleWith === 'Line' ? [stamped, NEWLINE_BYTES] : [stamped], recordsOut: batch.count, failures: [] };
    }
    const chunks = shape.assembleWith === 'Line' ? [stripNewline(body), NEWLINE_BYTES] : [body];
    return { chunks, recordsOut: batch.count, failures: [] };
  }

  const lines = countLines(body);
  if (lines !== batch.count) {
    throw new CountMismatchError(
      `the model returned ${lines} line${lines === 1 ? '' : 's'} for ${batch.count} record${batch.count === 1 ? '' : 's'}: with BatchStrategy MultiRecord and SplitType Line it must answer one line per input line`,
    );
  }
  if (shape.processor) return joinRecords(batch, splitLines(body), shape, placeholder);
  if (stamper) return { chunks: [stamper.stampLines(body, lines)], recordsOut: batch.count, failures: [] };
  if (shape.assembleWith === 'None') return { chunks: [body], recordsOut: batch.count, failures: [] };
  // AssembleWith Line: the body already is the output when it ends with '\n' and has no '\r'.
  if (body[body.length - 1] === NEWLINE && body.indexOf(CR) < 0) return { chunks: [body], recordsOut: batch.count, failures: [] };
  const chunks: Buffer[] = [];
  for (const line of splitLines(body)) chunks.push(line, NEWLINE_BYTES);
  return { chunks, recordsOut: batch.count, failures: [] };
}

/** The output of a batch whose every record failed for `reason` (placeholder policy). */
export function placeholderOutput(batch: MiniBatch, shape: OutputShape, placeholder: Buffer, failure: Omit<RecordFailure, 'recordIndex' | 'byteOffset'>): BatchOutput {
  const failures: RecordFailure[] = [];
  const chunks: Buffer[] = [];
  forEachRecord(batch, (_framed, byteOffset, k) => {
    failures.push({ recordIndex: batch.firstRecord + k, byteOffset, ...failure });
    chunks.push(placeholder);
    if (shape.assembleWith === 'Line') chunks.push(NEWLINE_BYTES);
  });
  return { chunks, recordsOut: 0, failures };
}

/** DataProcessing after the model: join each prediction with its input record, apply OutputFilter. */
function joinRecords(batch: MiniBatch, predictions: Buffer[], shape: OutputShape, placeholder: Buffer): BatchOutput {
  const processor = shape.processor!;
  const chunks: Buffer[] = [];
  const failures: RecordFailure[] = [];
  let recordsOut = 0;
  forEachRecord(batch, (framed, byteOffset, k) => {
    try {
      const output = processor.toOutput(shape.bareRecord(framed), predictions[k]!);
      chunks.push(shape.stamper ? shape.stamper.stamp(output) : output);
      recordsOut++;
    } catch (error) {
      failures.push({ recordIndex: batch.firstRecord + k, byteOffset, reason: (error as Error).message });
      chunks.push(placeholder);
    }
    if (shape.assembleWith === 'Line') chunks.push(NEWLINE_BYTES);
  });
  return { chunks, recordsOut, failures };
}

/** Lines in `body`: a final line without '\n' counts; an empty body has none. No allocation. */
export function countLines(body: Buffer): number {
  let lines = 0;
  let at = body.indexOf(NEWLINE);
  while (at >= 0) {
    lines++;
    at = body.indexOf(NEWLINE, at + 1);
  }
  return body.length > 0 && body[body.length - 1] !== NEWLINE ? lines + 1 : lines;
}

/** The lines of `body`, each without its '\n' or '\r\n'. */
export function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(NEWLINE, start);
    const next = end < 0 ? body.length : end + 1;
    if (end < 0) end = body.length;
    lines.push(body.subarray(start, end > start && body[end - 1] === CR ? end - 1 : end));
    start = next;
  }
  return lines;
}
/** The body without one trailing '\n' or '\r\n'. */
export function stripNewline(body: Buffer): Buffer {
  let end = body.length;
  if (end > 0 && body[end - 1] === NEWLINE) end--;
  if (end > 0 && body[end - 1] === CR) end--;
  return end === body.length ? body : body.subarray(0, end);
}
