import { type IndexSelector, type JsonPath, pickIndexes } from './jsonpath.js';
import { preview } from './preview.js';
import { RecordProcessingError } from './record-processor.js';

/**
 * DataProcessing on CSV rows. SageMaker reads a row as an array of columns, so only index paths
 * apply (`$[1:]`, `$[0,-1]`, `$[2:5]`, `$[*]`). Columns are found in the row's bytes and copied
 * out as they are, quotes included, so a selected column is written exactly as it was read;
 * nothing is decoded. A row is one line without its terminator (a trailing '\r' is ignored).
 *
 * Quoting follows RFC 4180 where it matters for finding commas: a field that starts with '"'
 * runs to the next '"' not doubled. Anything looser (a quote inside an unquoted field, text after
 * a closing quote) is kept as written rather than rejected.
 */

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const COMMA_BYTES = Buffer.from(',');

/** One row and where its columns lie: `bounds` is [start0, end0, start1, end1, ...] into `bytes`. */
interface CsvRow {
  bytes: Buffer;
  bounds: number[];
}

/**
 * Why `path` cannot address CSV columns, or undefined when it can: a CSV filter is `$`, or `$`
 * followed by one bracket of indexes, slices or `*`.
 */
export function csvPathProblem(path: JsonPath): string | undefined {
  const [step, ...rest] = path.steps;
  if (step === undefined || ((step.kind === 'indexes' || step.kind === 'wildcard') && rest.length === 0)) return undefined;
  return step.kind === 'indexes' || step.kind === 'wildcard'
    ? `CSV rows are flat: address columns with a single [...], e.g. $[1:], $[0,-1] or $[2:5] (got '${path.expression}')`
    : `CSV columns have no names and are addressed by index, e.g. $[1:], $[0,-1] or $[2:5] (got '${path.expression}')`;
}

/** The columns `filter` keeps of each row (`what` names the row in messages: record or prediction). */
export function selectCsvColumns(filter: JsonPath, what: 'record' | 'prediction'): (row: Buffer) => Buffer {
  const selectors = csvSelectors(filter);
  return (bytes) => {
    const row = { bytes, bounds: csvColumnBounds(bytes, filter.label, what) };
    const picks = pickIndexes(selectors, row.bounds.length / 2, (index) => {
      const count = row.bounds.length / 2;
      throw new RecordProcessingError(
        `${filter.label} '${filter.expression}': column index ${index} is out of range: the ${what} has ${columns(count)} (${what}: ${preview(bytes)})`,
      );
    });
    return writeColumns(picks, row, undefined);
  };
}

/**
 * JoinSource Input for CSV: the prediction's columns appended to the whole input row, then
 * `outputFilter` applied to the joined row. With `$` the join is a byte concatenation.
 */
export function joinCsv(outputFilter: JsonPath): (input: Buffer, prediction: Buffer) => Buffer {
  if (outputFilter.isRoot) return (input, prediction) => Buffer.concat([withoutCr(input), COMMA_BYTES, withoutCr(prediction)]);
  const selectors = csvSelectors(outputFilter);
  const { label, expression } = outputFilter;
  return (inputBytes, predictionBytes) => {
    const input = { bytes: inputBytes, bounds: csvColumnBounds(inputBytes, label, 'record') };
    const prediction = { bytes: predictionBytes, bounds: csvColumnBounds(predictionBytes, label, 'prediction') };
    const fromInput = input.bounds.length / 2;
    const total = fromInput + prediction.bounds.length / 2;
    const picks = pickIndexes(selectors, total, (index) => {
      throw new RecordProcessingError(
        `${label} '${expression}': column index ${index} is out of range: the joined row has ${columns(total)} ` +
          `(${fromInput} from the record, ${total - fromInput} from the prediction) (record: ${preview(inputBytes)}; prediction: ${preview(predictionBytes)})`,
      );
    });
    return writeColumns(picks, input, prediction);
  };
}

/**
 * Column bounds of one row. Throws RecordProcessingError for a quoted field that never closes:
 * with SplitType Line a field cannot span lines, so the row is cut or malformed.
 */
export function csvColumnBounds(row: Buffer, label = 'DataProcessing', what = 'record'): number[] {
  const end = row.length > 0 && row[row.length - 1] === CR ? row.length - 1 : row.length;
  const bounds: number[] = [0];
  // A byte loop, not Buffer.indexOf: columns are short and each native call costs more than the scan.
  let columnStart = 0;
  let quotedColumn = false; // the column opened with '"': its quotes delimit, commas inside do not
  let inQuotes = false; // '""' inside a quoted column leaves and re-enters: still inside
  for (let i = 0; i < end; i++) {
    const c = row[i];
    if (c === QUOTE) {
      if (i === columnStart) quotedColumn = inQuotes = true;
      else if (quotedColumn) inQuotes = !inQuotes;
    } else if (c === COMMA && !inQuotes) {
      bounds.push(i, i + 1);
      columnStart = i + 1;
      quotedColumn = false;
    }
  }
  if (inQuotes) {
    throw new RecordProcessingError(
      `${label}: column ${bounds.length >> 1} of the ${what} opens a quote that never closes (a CSV field cannot span lines with SplitType Line) (${what}: ${preview(row)})`,
    );
  }
  bounds.push(end);
  return bounds;
}

/** The positions a CSV filter's one step selects: `[*]` is every column. */
function csvSelectors(filter: JsonPath): IndexSelector[] {
  const step = filter.steps[0];
  if (step?.kind === 'indexes') return step.selectors;
  if (step?.kind === 'wildcard' || step === undefined) return [{ kind: 'slice' }];
  throw new Error(csvPathProblem(filter)); // compileDataProcessing rejects these before any record
}

/**
 * Columns `picks` of `first` followed by `second`, joined by commas. Neighbouring columns of one
 * row lie next to each other with their comma between, so each run of them is one copy, and a
 * single run (`$[1:]`, `$[2:5]`) is a view of the row with no copy at all.
 */
function writeColumns(picks: readonly number[], first: CsvRow, second: CsvRow | undefined): Buffer {
  const firstCount = first.bounds.length / 2;
  const spans: number[] = []; // [side, start, end] per run; side 0 is `first`
  let previous = -2;
  for (const p of picks) {
    const side = p < firstCount ? 0 : 1;
    const { bounds } = side === 0 ? first : second!;
    const k = (side === 0 ? p : p - firstCount) * 2;
    if (p === previous + 1 && spans[spans.length - 3] === side) spans[spans.length - 1] = bounds[k + 1]!;
    else spans.push(side, bounds[k]!, bounds[k + 1]!);
    previous = p;
  }
  const rowOf = (side: number) => (side === 0 ? first.bytes : second!.bytes);
  if (spans.length === 3) return rowOf(spans[0]!).subarray(spans[1], spans[2]);

  let size = Math.max(spans.length / 3 - 1, 0);
  for (let i = 0; i < spans.length; i += 3) size += spans[i + 2]! - spans[i + 1]!;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < spans.length; i += 3) {
    if (i > 0) out[at++] = COMMA;
    at += rowOf(spans[i]!).copy(out, at, spans[i + 1], spans[i + 2]);
  }
  return out;
}

function withoutCr(row: Buffer): Buffer {
  return row.length > 0 && row[row.length - 1] === CR ? row.subarray(0, row.length - 1) : row;
}

function columns(count: number): string {
  return `${count} column${count === 1 ? '' : 's'}`;
}
