// DataCaptureConfig.GenerateInferenceId: SageMaker appends an inference id (a random UUID) and the
// transform job's start time in UTC to every output record, so that a model-quality monitoring
// job can match ground truth to predictions. CSV: two last columns; JSON and JSON Lines: the keys
// SageMakerInferenceId and SageMakerInferenceTime. Applied after DataProcessing (join and
// OutputFilter), so no filter can drop them.
// https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-batch.html
import { randomUUID } from 'node:crypto';
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
 * mini-batch for answers that are already one line per record (`stampLines`); the id is written
 * into it from `randomUUID`, whose entropy Node draws in batches.
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
    at += WRAP_OPEN.copy(out, at);
    at += first < last ? source.copy(out, at, first, last) : out.write('null', at, 'latin1');
    return this.writeId(out, at, true);
  }

  /** `,<id>,<time>` or `,"SageMakerInferenceId":"<id>","SageMakerInferenceTime":"<time>"}` (no leading comma after `{`). */
  private writeId(out: Buffer, at: number, comma: boolean): number {
    at += this.head.copy(out, at, comma ? 0 : 1);
    at += out.write(randomUUID(), at, 'latin1');
    return at + this.tail.copy(out, at);
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === CR;
}
