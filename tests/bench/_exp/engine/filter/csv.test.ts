import { describe, expect, it } from 'vitest';
import { csvColumnBounds, csvPathProblem, joinCsv, selectCsvColumns } from './csv.js';
import { compileJsonPath } from './jsonpath.js';
import { RecordProcessingError } from './record-processor.js';

const b = (text: string) => Buffer.from(text);
const columnsOf = (row: string) => {
  const bytes = b(row);
  const bounds = csvColumnBounds(bytes);
  const columns: string[] = [];
  for (let i = 0; i < bounds.length; i += 2) columns.push(bytes.subarray(bounds[i], bounds[i + 1]).toString());
  return columns;
};
const select = (expression: string, row: string) => selectCsvColumns(compileJsonPath(expression, 'InputFilter'), 'record')(b(row)).toString();
const join = (expression: string, input: string, prediction: string) =>
  joinCsv(compileJsonPath(expression, 'OutputFilter'))(b(input), b(prediction)).toString();

describe('csvColumnBounds', () => {
  it('splits on commas, keeping empty columns at either end', () => {
    expect(columnsOf('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(columnsOf(',x,')).toEqual(['', 'x', '']);
    expect(columnsOf('')).toEqual(['']);
  });

  it('keeps a quoted column whole, commas and doubled quotes inside, quotes included', () => {
    expect(columnsOf('1,"Smith, Jane","say ""hi""",2')).toEqual(['1', '"Smith, Jane"', '"say ""hi"""', '2']);
    expect(columnsOf('"",""""')).toEqual(['""', '""""']);
  });

  it('keeps spaces and stray quotes as written rather than rejecting loose CSV', () => {
    expect(columnsOf(' a , b"c ,"d"e,f')).toEqual([' a ', ' b"c ', '"d"e', 'f']);
  });

  it('ignores a trailing carriage return', () => {
    expect(columnsOf('a,b\r')).toEqual(['a', 'b']);
    expect(columnsOf('"a\r"\r')).toEqual(['"a\r"']);
  });

  it('fails a row whose quoted column never closes, naming the column and showing the row', () => {
    expect(() => csvColumnBounds(b('1,"open,2'), 'InputFilter')).toThrow(
      new RecordProcessingError('InputFilter: column 1 of the record opens a quote that never closes (a CSV field cannot span lines with SplitType Line) (record: 1,"open,2)'),
    );
    expect(() => csvColumnBounds(b('"a""'))).toThrow(RecordProcessingError);
  });
});

describe('selectCsvColumns', () => {
  const row = 'id-17,5.1,3.5,1.4,0.2';

  it('$[1:] drops the first column (the guide\'s ID example)', () => {
    expect(select('$[1:]', row)).toBe('5.1,3.5,1.4,0.2');
  });

  it('picks columns by index, slice, negative index and *', () => {
    expect(select('$[0,-1]', row)).toBe('id-17,0.2');
    expect(select('$[2:5]', 'c0,c1,c2,c3,c4,c5,c6')).toBe('c2,c3,c4');
    expect(select('$[:2]', row)).toBe('id-17,5.1');
    expect(select('$[-2:]', row)).toBe('1.4,0.2');
    expect(select('$[0,3:]', row)).toBe('id-17,1.4,0.2');
    expect(select('$[*]', row)).toBe(row);
    expect(select('$[3]', row)).toBe('1.4');
  });

  it('writes columns in the order asked, repeats included', () => {
    expect(select('$[2,0,1]', 'a,b,c')).toBe('c,a,b');
    expect(select('$[0,0,1:]', 'a,,c')).toBe('a,a,,c');
  });

  it('re-joins quoted columns byte for byte', () => {
    expect(select('$[1,2]', '7,"Smith, Jane","5\'11"" tall",x')).toBe('"Smith, Jane","5\'11"" tall"');
  });

  it('copies bytes it does not understand (non-UTF-8) unchanged', () => {
    const latin1 = Buffer.from([0x31, 0x2c, 0xe9, 0x74, 0xe9, 0x2c, 0x33]);
    expect(selectCsvColumns(compileJsonPath('$[1:]', 'InputFilter'), 'record')(latin1)).toEqual(Buffer.from([0xe9, 0x74, 0xe9, 0x2c, 0x33]));
  });

  it('a slice past the end selects nothing rather than failing', () => {
    expect(select('$[5:]', 'a,b')).toBe('');
  });

  it('fails on an index out of range, naming the index, the column count and the row', () => {
    expect(() => select('$[0,5]', '1,2,3')).toThrow(
      new RecordProcessingError("InputFilter '$[0,5]': column index 5 is out of range: the record has 3 columns (record: 1,2,3)"),
    );
    expect(() => select('$[-2]', 'only')).toThrow('column index -2 is out of range: the record has 1 column ');
  });
});

describe('joinCsv', () => {
  it('appends the prediction\'s columns to the input row (the guide\'s [1,2,3] + [1])', () => {
    expect(join('$', '1,2,3', '1')).toBe('1,2,3,1');
  });

  it('joins the whole input, not what InputFilter sent, then OutputFilter picks from the joined row', () => {
    expect(join('$[0,-1]', 'id-17,5.1,3.5,1.4,0.2', '0.93')).toBe('id-17,0.93');
    expect(join('$[0,5:]', 'id-17,5.1,3.5,1.4,0.2', '0.07,0.93')).toBe('id-17,0.07,0.93');
  });

  it('keeps quoted columns of both sides intact', () => {
    expect(join('$[1:]', '1,"a,b"', '"x,y",2')).toBe('"a,b","x,y",2');
  });

  it('drops a trailing carriage return from either side before joining', () => {
    expect(join('$', '1,2\r', '0.5\r')).toBe('1,2,0.5');
  });

  it('an index past the joined row fails, saying how many columns came from each side', () => {
    expect(() => join('$[6]', '1,2,3', '0.5')).toThrow(
      "OutputFilter '$[6]': column index 6 is out of range: the joined row has 4 columns (3 from the record, 1 from the prediction) (record: 1,2,3; prediction: 0.5)",
    );
  });
});

describe('csvPathProblem', () => {
  it('accepts $ and one bracket of indexes, slices or *', () => {
    for (const expression of ['$', '$[1:]', '$[0,-1]', '$[*]', '$[2:5]', '$[0,5:]']) {
      expect(csvPathProblem(compileJsonPath(expression, 'InputFilter'))).toBeUndefined();
    }
  });

  it('rejects names, which CSV columns do not have, and nested steps, saying what to write', () => {
    expect(csvPathProblem(compileJsonPath('$.name', 'InputFilter'))).toBe(
      "CSV columns have no names and are addressed by index, e.g. $[1:], $[0,-1] or $[2:5] (got '$.name')",
    );
    expect(csvPathProblem(compileJsonPath("$['a','b']", 'InputFilter'))).toContain('have no names');
    expect(csvPathProblem(compileJsonPath('$[0][1]', 'InputFilter'))).toContain('CSV rows are flat');
    expect(csvPathProblem(compileJsonPath('$[*].x', 'InputFilter'))).toContain('CSV rows are flat');
  });
});
