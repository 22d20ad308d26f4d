import { Tensor } from 'onnxruntime-node';
import { HandlerInputError } from '../handler.js';
import { describeShape, recordName, sameShape, type NumericRecords } from './numeric-records.js';

/** The element types the `onnx` handler can feed from numbers. */
export const FEEDABLE_TYPES = ['float32', 'float64', 'int32', 'int64'] as const;
export type FeedableType = (typeof FEEDABLE_TYPES)[number];

/** The model input the handler feeds: its name, element type and declared shape ([] when the model declares none). */
export interface OnnxInputSpec {
  name: string;
  type: FeedableType;
  shape: ReadonlyArray<number | string>;
}

/**
 * The mini-batch as the model's input tensor: `[records, ...recordDims]`. A record's dimensions
 * are the model's own when it fixes them all (a flat record of the right size is reshaped, so a
 * CSV row feeds a `[N,4]` or a `[N,2,2]` input alike); otherwise the records' shape, checked
 * against the rank and any fixed dimension the model declares.
 */
export function inputTensor(records: NumericRecords, input: OnnxInputSpec): Tensor {
  const batch = input.shape[0];
  if (batch !== undefined && isFixed(batch) && batch !== records.count) {
    // ONNX Runtime's own message ("invalid dimensions") would not say what to change.
    throw new HandlerInputError(
      `the model's input '${input.name}' takes exactly ${batch} record${batch === 1 ? '' : 's'} per invocation (shape ${describeShape(input.shape)}) and this one has ${records.count}: ${batch === 1 ? 'run the job with BatchStrategy SingleRecord, or ' : ''}export the model with a free batch dimension`,
    );
  }
  const recordDims = fitRecordShape(records, input);
  const dims = [records.count, ...recordDims];
  const { values } = records;
  switch (input.type) {
    case 'float32':
      return new Tensor('float32', Float32Array.from(values), dims);
    case 'float64':
      return new Tensor('float64', Float64Array.from(values), dims);
    case 'int32':
      checkIntegers(records, input, -(2 ** 31), 2 ** 31 - 1);
      return new Tensor('int32', Int32Array.from(values), dims);
    case 'int64':
      checkIntegers(records, input, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  }
}

function fitRecordShape(records: NumericRecords, input: OnnxInputSpec): number[] {
  const { recordShape, format } = records;
  // A model that declares no shape takes what it is given.
  if (input.shape.length === 0) return recordShape;
  const declared = input.shape.slice(1);
  const takes = `the model's input '${input.name}' takes ${describeShape(declared)} per record (shape ${describeShape(input.shape)})`;
  const given = `${recordName(format, 0)} has ${format === 'csv' ? `${size(recordShape)} values` : `shape ${describeShape(recordShape)}`}`;
  if (declared.every(isFixed)) {
    const fixed = declared as number[];
    if (sameShape(recordShape, fixed)) return fixed;
    // A flat record (a CSV row, a flat array) fills the declared shape in row-major order.
    if (recordShape.length <= 1 && size(recordShape) === size(fixed)) return fixed;
    throw new HandlerInputError(`${given}; ${takes}`);
  }
  if (recordShape.length !== declared.length || declared.some((d, i) => isFixed(d) && d !== recordShape[i])) throw new HandlerInputError(`${given}; ${takes}`);
  return recordShape;
}

function checkIntegers(records: NumericRecords, input: OnnxInputSpec, min: number, max: number): void {
  const perRecord = size(records.recordShape);
  records.values.forEach((value, k) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      const record = perRecord === 0 ? 0 : Math.floor(k / perRecord);
      throw new HandlerInputError(`${recordName(records.format, record)}: ${value} is not a whole number in ${input.type}'s range, and the model's input '${input.name}' is ${input.type}`);
    }
  });
}

/** A dimension the model fixes: ONNX Runtime reports a free one as a name (`N`) or as -1. */
function isFixed(dim: number | string): dim is number {
  return typeof dim === 'number' && dim >= 0;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
