import { HandlerInputError, isJsonLines, mediaType, splitLines } from '../handler.js';

/** How a mini-batch of numeric records came: its answer's default format follows (CSV in, CSV out). */
export type RecordFormat = 'csv' | 'jsonlines' | 'json';

/**
 * A mini-batch of numeric records, decoded from the body but not yet fitted to a model's input:
 * `count` records of `recordShape` each, their values flattened one record after the other.
 */
export interface NumericRecords {
  format: RecordFormat;
  count: number;
  values: number[];
  /** One record's shape, shared by all: [] for a scalar, [n] for a CSV row or a flat array. */
  recordShape: number[];
}

/** Record `index` (0-based) as the user's file names it: `row 3` (CSV), `line 3` (JSON Lines), `inputs[2]` (JSON). */
export function recordName(format: RecordFormat, index: number): string {
  return format === 'csv' ? `row ${index + 1}` : format === 'jsonlines' ? `line ${index + 1}` : `inputs[${index}]`;
}

// A decimal number as CSV writers produce it; Number() alone would also take '', '0x1f' and 'Infinity'.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The records of a tensor model's mini-batch, by Content-Type:
 * - `text/csv` (or no Content-Type): one record per row, each cell a number, no header;
 * - `application/jsonlines`: one record per line, `{"inputs": [...]}` or a bare array, flat or nested;
 * - `application/json`: `{"inputs": [record, ...]}` (or a bare array of records).
 * Records of one mini-batch must share a shape: they are stacked along the tensor's first dimension.
 */
export function numericRecords(body: Buffer, contentType: string | undefined): NumericRecords {
  const type = mediaType(contentType);
  if (type === undefined || type === 'text/csv') return csvRecords(body);
  if (isJsonLines(type)) {
    const lines = splitLines(body);
    return stack('jsonlines', lines.length, (i) => inputsOf(parseJson(lines[i]!, `line ${i + 1}`), `line ${i + 1}`));
  }
  if (type === 'application/json') {
    const records = inputsOf(parseJson(body.toString('utf8'), 'the body'), 'the body');
    if (!Array.isArray(records)) throw new HandlerInputError('the body\'s "inputs" is not an array: application/json takes {"inputs": [record, ...]}, one record per element');
    return stack('json', records.length, (i) => records[i]);
  }
  throw new HandlerInputError(
    `unsupported Content-Type ${contentType}: send text/csv (one record per row of numbers), application/jsonlines ({"inputs": [...]} per line) or application/json ({"inputs": [[...], ...]})`,
  );
}

function csvRecords(body: Buffer): NumericRecords {
  const rows = splitLines(body);
  const values: number[] = [];
  let width = -1;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.trim() === '') throw new HandlerInputError(`row ${r + 1} is empty: each row is one record of numbers, comma-separated`);
    const cells = row.split(',');
    if (width === -1) width = cells.length;
    else if (cells.length !== width) {
      throw new HandlerInputError(`row ${r + 1} has ${cells.length} values, row 1 has ${width}: each row is one record, and the records of a mini-batch must have the same number of columns`);
    }
    for (let c = 0; c < cells.length; c++) {
      let cell = cells[c]!.trim();
      if (cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"')) cell = cell.slice(1, -1).trim();
      if (!DECIMAL.test(cell)) {
        throw new HandlerInputError(
          `row ${r + 1}, column ${c + 1}: ${JSON.stringify(cells[c])} is not a number: the onnx handler reads rows of numbers with no header ` +
            '(drop other columns with DataProcessing.InputFilter, e.g. "$[1:]")',
        );
      }
      values.push(Number(cell));
    }
  }
  return { format: 'csv', count: rows.length, values, recordShape: rows.length === 0 ? [] : [width] };
}

/** The records' values flattened into one array, checking every record has the first one's shape. */
function stack(format: RecordFormat, count: number, recordAt: (index: number) => unknown): NumericRecords {
  const values: number[] = [];
  let recordShape: number[] = [];
  for (let i = 0; i < count; i++) {
    const name = recordName(format, i);
    const shape = flattenInto(recordAt(i), format === 'json' ? { prefix: '', path: name } : { prefix: `${name}: `, path: 'inputs' }, values);
    if (i === 0) recordShape = shape;
    else if (!sameShape(shape, recordShape)) {
      throw new HandlerInputError(
        `${name} has shape ${describeShape(shape)}, ${recordName(format, 0)} has ${describeShape(recordShape)}: records are stacked along the first dimension, so all records of a mini-batch must have the same shape`,
      );
    }
  }
  return { format, count, values, recordShape };
}

function inputsOf(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && 'inputs' in value) return (value as { inputs: unknown }).inputs;
  throw new HandlerInputError(`${where} has no "inputs": expected {"inputs": [...]} (or a bare array)`);
}

/**
 * Appends one record's numbers to `into` and returns its shape. The record is a number or a
 * rectangular nested array of numbers; the first element at each depth gives that dimension.
 */
function flattenInto(record: unknown, where: { prefix: string; path: string }, into: number[]): number[] {
  const shape: number[] = [];
  for (let probe = record; Array.isArray(probe); probe = probe[0]) shape.push(probe.length);
  const walk = (value: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number') throw new HandlerInputError(`${where.prefix}${path} is ${JSON.stringify(value)?.slice(0, 40) ?? 'undefined'}, not a number`);
      into.push(value);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new HandlerInputError(`${where.prefix}${path} ${Array.isArray(value) ? `has length ${value.length}, expected ${shape[depth]}` : 'is not an array'}: a record is a number or a rectangular array of numbers`);
    }
    for (let i = 0; i < value.length; i++) walk(value[i], depth + 1, `${path}[${i}]`);
  };
  walk(record, 0, where.path);
  return shape;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HandlerInputError(`${where} is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function describeShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(',')}]`;
}
