// DataCaptureConfig.GenerateInferenceId: SageMaker appends an inference id (a random UUID) and the
// transform job's start time in UTC to every output record, so that a model-quality monitoring
// job can match ground truth to predictions. CSV: two last columns; JSON and JSON Lines: the keys
// SageMakerInferenceId and SageMakerInferenceTime. Applied after DataProcessing (join and
// OutputFilter), so no filter can drop them.
// https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-batch.html
import { randomFillSync } from 'node:crypto';
import type { SageMakerIssue, TransformParams } from '@sluice/params';
import { recordFormat, type RecordFormat } from '../filter/record-format.js';

export type InferenceIdParams = Pick<TransformParams, 'contentType' | 'accept' | 'splitType' | 'assembleWith' | 'dataProcessing'> &
  Partial<Pick<TransformParams, 'batchStrategy' | 'dataCaptureConfig'>>;

const NEWLINE = 0x0a;
const CR = 0x0d;
const UUID_LENGTH = 36;
const ID_KEY = '"SageMakerInferenceId":"';
const TIME_KEY = '","SageMakerInferenceTime":"';
const WRAP_OPEN = Buffer.from('{"SageMakerOutput":');

/** Two ASCII hex digits for each byte value. */
const HEX = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join(''), 'latin1');
/** Random bytes drawn 1,024 UUIDs at a time: one call into the crypto library per 1,024 records. */
const ENTROPY = Buffer.allocUnsafe(16 * 1024);
let entropyAt = ENTROPY.length;

/**
 * Writes a random (version 4) UUID into `out` at `at` as 36 ASCII bytes; returns where it ended.
 * As crypto.randomUUID makes them, without a string per record to encode into the buffer again
 * (which cost four times the rest of the stamping).
 */
function writeUuid(out: Buffer, at: number): number {
  if (entropyAt === ENTROPY.length) {
    randomFillSync(ENTROPY);
    entropyAt = 0;
  }
  const from = entropyAt;
  entropyAt += 16;
  ENTROPY[from + 6] = (ENTROPY[from + 6]! & 0x0f) | 0x40;
  ENTROPY[from + 8] = (ENTROPY[from + 8]! & 0x3f) | 0x80;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out[at++] = 0x2d;
    const hex = ENTROPY[from + i]! * 2;
    out[at++] = HEX[hex]!;
    out[at++] = HEX[hex + 1]!;
  }
  return at;
}

/** SageMaker's inference time: the job's start in UTC, to the second (`2022-08-30T00:49:15Z`). */
export function inferenceTime(start: Date): string {
  return `${start.toISOString().slice(0, 19)}Z`;
}

/**
 * The format inference ids are written in: the output's (Accept, or ContentType when the model is
 * not sent an Accept); with JoinSource Input the output is the input record, so ContentType's.
 */
function stampFormat(params: InferenceIdParams): { format: RecordFormat | undefined; field: string; mediaType: string | undefined } {
  if (params.dataProcessing.joinSource === 'Input' || params.accept === undefined) return { format: recordFormat(params.contentType), field: 'ContentType', mediaType: params.contentType };
  return { format: recordFormat(params.accept), field: 'Accept', mediaType: params.accept };
}

/** Why GenerateInferenceId cannot run with these parameters, by SageMaker field; none when it is off. */
export function inferenceIdIssues(params: InferenceIdParams): SageMakerIssue[] {
  if (!params.dataCaptureConfig?.generateInferenceId) return [];
  const issues: SageMakerIssue[] = [];
  const { format, field, mediaType } = stampFormat(params);
  if (!format) {
    issues.push({
      field: 'DataCaptureConfig.GenerateInferenceId',
      message: `appends an inference id to each output record, which SageMaker supports for CSV (text/csv) and JSON/JSON Lines (application/json, application/jsonlines) outputs: set ${field} to one of them (got ${mediaType === undefined ? 'none' : `'${mediaType}'`})`,
    });
  }
  if (format === 'csv' && params.splitType === 'Line' && params.assembleWith !== 'Line') {
    issues.push({ field: 'AssembleWith', message: `GenerateInferenceId writes one CSV row per record: set AssembleWith Line (got ${params.assembleWith})` });
  }
  if ((params.splitType === 'RecordIO' || params.splitType === 'TFRecord') && params.batchStrategy !== 'SingleRecord') {
    issues.push({
      field: 'BatchStrategy',
      message: `GenerateInferenceId gives each record its own id, and a MultiRecord answer for ${params.splitType} records is one output for many: set BatchStrategy SingleRecord`,
    });
  }
  return issues;
}

/** The stamper for a run, or undefined when GenerateInferenceId is off (no per-record work then). */
export function inferenceIdStamper(params: InferenceIdParams, start: Date): InferenceIdStamper | undefined {
  if (!params.dataCaptureConfig?.generateInferenceId) return undefined;
  const { format } = stampFormat(params);
  if (!format) throw new Error('GenerateInferenceId: the output format is neither CSV nor JSON (inferenceIdIssues reports this before any run)');
  return new InferenceIdStamper(format, start);
}

/**
 * Appends a fresh inference id and the run's inference time to output records. One allocation per
 * mini-batch for answers that are already one line per record (`stampLines`), the ids written
 * into it byte by byte.
 */
export class InferenceIdStamper {
  /** After the id: `,<time>` (CSV) or `","SageMakerInferenceTime":"<time>"}` (JSON). */
  private readonly tail: Buffer;
  /** Before the id: `,` (CSV) or `,"SageMakerInferenceId":"` (JSON; the comma is left out for `{}`). */
  private readonly head: Buffer;
  /** The most bytes one record grows by. */
  readonly growth: number;

  constructor(
    readonly format: RecordFormat,
    start: Date,
  ) {
    const time = inferenceTime(start);
    this.head = Buffer.from(format === 'csv' ? ',' : `,${ID_KEY}`);
    this.tail = Buffer.from(format === 'csv' ? `,${time}` : `${TIME_KEY}${time}"}`);
    this.growth = WRAP_OPEN.length + this.head.length + UUID_LENGTH + this.tail.length + 4; // + `null` for an empty JSON record
  }

  /** One record's output (no line terminator) with its id and time. */
  stamp(record: Buffer): Buffer {
    const out = Buffer.allocUnsafe(record.length + this.growth);
    return out.subarray(0, this.stampInto(record, 0, record.length, out, 0));
  }

  /**
   * Every line of `body` (ended by '\n' or '\r\n'; the last may have none) stamped and ended with
   * '\n', in one buffer. The caller has checked that there is one line per record.
   */
  stampLines(body: Buffer, lines: number): Buffer {
    const out = Buffer.allocUnsafe(body.length + lines * (this.growth + 1));
    let at = 0;
    let start = 0;
    while (start < body.length) {
      let end = body.indexOf(NEWLINE, start);
      const next = end < 0 ? body.length : end + 1;
      if (end < 0) end = body.length;
      at = this.stampInto(body, start, end > start && body[end - 1] === CR ? end - 1 : end, out, at);
      out[at++] = NEWLINE;
      start = next;
    }
    return out.subarray(0, at);
  }

  /** Writes `source[start, end)` stamped into `out` at `at`; returns where it ended. */
  private stampInto(source: Buffer, start: number, end: number, out: Buffer, at: number): number {
    if (this.format === 'csv') {
      at += source.copy(out, at, start, end);
      return this.writeId(out, at, true);
    }
    // JSON: inside the record's object when it is one, else wrapped as SageMaker wraps a joined
    // prediction that is not an object: {"SageMakerOutput": <record>, ...}.
    let first = start;
    let last = end;
    while (first < last && isSpace(source[first]!)) first++;
    while (last > first && isSpace(source[last - 1]!)) last--;
    if (last - first >= 2 && source[first] === 0x7b && source[last - 1] === 0x7d) {
      let inner = first + 1;
      while (inner < last - 1 && isSpace(source[inner]!)) inner++;
      at += source.copy(out, at, first, last - 1);
      return this.writeId(out, at, inner < last - 1);
    }
    at = put(out, at, WRAP_OPEN, 0);
    at += first < last ? source.copy(out, at, first, last) : out.write('null', at, 'latin1');
    return this.writeId(out, at, true);
  }

  /** `,<id>,<time>` or `,"SageMakerInferenceId":"<id>","SageMakerInferenceTime":"<time>"}` (no leading comma after `{`). */
  private writeId(out: Buffer, at: number, comma: boolean): number {
    at = put(out, at, this.head, comma ? 0 : 1);
    return put(out, writeUuid(out, at), this.tail, 0);
  }
}

/** Copies the few bytes of `bytes` from `from` into `out` at `at`: a loop costs less than Buffer#copy at these sizes. */
function put(out: Buffer, at: number, bytes: Buffer, from: number): number {
  for (let i = from; i < bytes.length; i++) out[at++] = bytes[i]!;
  return at;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === CR;
}
