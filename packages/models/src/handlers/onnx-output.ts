import type { Tensor } from 'onnxruntime-node';
import { HandlerInputError, isJsonLines, mediaType } from '../handler.js';
import { describeShape, type RecordFormat } from './numeric-records.js';

/** A JSON-ready value of one tensor element. */
export type OutputValue = number | string | boolean | null;

/** One model output split per record: `values` holds `count` records of `recordDims` each. */
export interface OutputColumn {
  name: string;
  recordDims: number[];
  values: OutputValue[];
}

/** What the `onnx` handler's predictFn answers: every output of the model, per record. */
export interface OnnxPrediction {
  /** The request's format: the answer's default follows it (CSV in, CSV out). */
  format: RecordFormat;
  count: number;
  outputs: OutputColumn[];
}

const INTEGER_TYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

/**
 * One output tensor as per-record values. Its first dimension must be the batch: the answer has
 * one row (one line) per record. An integer output named `label`, when the model's metadata names
 * its classes, answers the class names.
 */
export function outputColumn(name: string, tensor: Tensor, count: number, labels: readonly string[] | undefined): OutputColumn {
  const dims = tensor.dims.map(Number);
  if (dims.length === 0 || dims[0] !== count) {
    throw new Error(
      `the model's output '${name}' has shape ${describeShape(dims)}: the onnx handler answers per record, so each output's first dimension must be the batch (${count} records in this mini-batch)`,
    );
  }
  let values = jsonValues(tensor);
  if (name === 'label' && labels !== undefined && INTEGER_TYPES.has(tensor.type)) {
    values = values.map((v) => {
      const label = typeof v === 'number' ? labels[v] : undefined;
      if (label === undefined) throw new Error(`the model's output 'label' holds class ${String(v)}, but its metadata 'labels' names ${labels.length} classes (0 to ${labels.length - 1})`);
      return label;
    });
  }
  return { name, recordDims: dims.slice(1), values };
}

function jsonValues(tensor: Tensor): OutputValue[] {
  const data = tensor.data;
  switch (tensor.type) {
    case 'float32':
      return Array.from(data as Float32Array, shortestFloat32);
    case 'float16':
      // onnxruntime-node hands float16 over as its raw bits (Node 20 has no Float16Array).
      return data instanceof Uint16Array ? Array.from(data, (bits) => shortestFloat32(halfToNumber(bits))) : Array.from(data as ArrayLike<number>, shortestFloat32);
    case 'int64':
    case 'uint64':
      // A JSON number past 2^53 would be read back as a neighbour: such values are written as strings.
      return Array.from(data as BigInt64Array | BigUint64Array, (v: bigint) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()));
    case 'bool':
      return Array.from(data as Uint8Array, (v) => v !== 0);
    case 'string':
      return Array.from(data as string[]);
    default:
      return Array.from(data as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  }
}

/**
 * The shortest decimal that reads back as the same float32 (as numpy prints float32): 0.97, not
 * 0.9700000286102295, which is the float32 value widened to a double. Digits 1 to 9 are searched
 * by bisection: 9 significant digits always round-trip a float32.
 */
export function shortestFloat32(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  if (value === 0) return 0;
  const roundTrips = (digits: number) => Math.fround(Number(value.toPrecision(digits))) === value;
  let low = 1;
  let high = 9;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (roundTrips(mid)) high = mid;
    else low = mid + 1;
  }
  return roundTrips(low) ? Number(value.toPrecision(low)) : value;
}

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * The answer for the Accept type: `text/csv` one row per record (each output's values for the
 * record, flattened, in graph order); `application/jsonlines` one `{"<output>": value, ...}` per
 * record; `application/json` an array of those objects. No Accept (or `*` `/` `*`): CSV for a CSV
 * request, JSON Lines otherwise.
 */
export function writeOnnxPrediction(prediction: OnnxPrediction, accept: string | undefined): string {
  const type = mediaType(accept);
  const as = type === undefined || type === '*/*' ? (prediction.format === 'csv' ? 'csv' : 'jsonlines') : type === 'text/csv' ? 'csv' : isJsonLines(type) ? 'jsonlines' : type === 'application/json' ? 'json' : undefined;
  if (as === undefined) throw new HandlerInputError(`unsupported Accept ${accept}: the onnx handler answers text/csv, application/jsonlines or application/json`);
  const { count, outputs } = prediction;
  const sizes = outputs.map((o) => o.recordDims.reduce((a, b) => a * b, 1));
  let out = '';
  if (as === 'csv') {
    for (let r = 0; r < count; r++) {
      const fields: string[] = [];
      outputs.forEach((o, k) => {
        for (let i = r * sizes[k]!; i < (r + 1) * sizes[k]!; i++) fields.push(csvField(o.values[i]!));
      });
      out += `${fields.join(',')}\n`;
    }
    return out;
  }
  // Each record's object written as text: output names are the model's and could be '__proto__'.
  const keys = outputs.map((o) => `${JSON.stringify(o.name)}:`);
  const objects: string[] = [];
  for (let r = 0; r < count; r++) {
    objects.push(`{${outputs.map((o, k) => keys[k] + JSON.stringify(recordValue(o, r, sizes[k]!))).join(',')}}`);
  }
  return as === 'json' ? `[${objects.join(',')}]\n` : objects.map((line) => `${line}\n`).join('');
}

/** Record `r`'s part of an output: a scalar for `[N]`, nested arrays for `[N, ...]`. */
function recordValue(output: OutputColumn, r: number, size: number): unknown {
  const flat = output.values.slice(r * size, (r + 1) * size);
  if (output.recordDims.length === 0) return flat[0];
  const nest = (offset: number, depth: number): unknown => {
    const dim = output.recordDims[depth]!;
    if (depth === output.recordDims.length - 1) return flat.slice(offset, offset + dim);
    const inner = output.recordDims.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dim }, (_, i) => nest(offset + i * inner, depth + 1));
  };
  return nest(0, 0);
}

function csvField(value: OutputValue): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
