import { describe, expect, it } from 'vitest';
import { bareLine, createLineSplitter } from './line.js';
import { CHUNKINGS, positionsOf, seededRandom, splitAll } from './test-support/feed.js';
import { randomLineObject } from './test-support/line-objects.js';

const lines = (...records: string[]): Buffer[] => records.map((r) => Buffer.from(r));

/** Reference split: cut after every '\n', and keep a last line without one. */
function referenceLines(data: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      records.push(data.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < data.length) records.push(data.subarray(start));
  return records;
}

describe.each(CHUNKINGS)('Line splitter, input fed $name', ({ cut }) => {
  const split = (text: string) => splitAll(createLineSplitter(), cut(Buffer.from(text)));

  it('ends records after each newline, keeping the newline', () => {
    expect(split('a,1\nbb,2\nccc,3\n').records).toEqual(lines('a,1\n', 'bb,2\n', 'ccc,3\n'));
  });

  it('keeps CRLF line endings in the record', () => {
    expect(split('a\r\nb\r\n\r\nc').records).toEqual(lines('a\r\n', 'b\r\n', '\r\n', 'c'));
  });

  it('makes a last line without newline a record', () => {
    expect(split('first\nlast').records).toEqual(lines('first\n', 'last'));
  });

  it('keeps empty lines as records of their own', () => {
    expect(split('\n\na\n\n').records).toEqual(lines('\n', '\n', 'a\n', '\n'));
  });

  it('gives no records for an empty object', () => {
    expect(split('').records).toEqual([]);
  });

  it('does not add an empty record after a trailing newline', () => {
    expect(split('only\n').records).toEqual(lines('only\n'));
  });

  it('reports each record at its byte position in the object', () => {
    const text = 'x\nyy\r\n\nzzz';
    const { records, positions } = split(text);
    expect(positions).toEqual([0, 2, 6, 7]);
    expect(records.map((r) => r.toString())).toEqual(['x\n', 'yy\r\n', '\n', 'zzz']);
  });

  it('matches a byte-by-byte reference split on random objects', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 60; round++) {
      const data = randomLineObject(random);
      const { records, positions } = splitAll(createLineSplitter(), cut(data));
      const expected = referenceLines(data);
      expect(records).toEqual(expected);
      expect(positions).toEqual(positionsOf(expected));
    }
  });
});

describe('Line splitter blocks', () => {
  it('hands over lines within a chunk as views of it, without copying', () => {
    const chunk = Buffer.from('a\nb\nc\n');
    const [block] = createLineSplitter().push(chunk);
    expect(block?.count).toBe(3);
    expect(block?.buffer.buffer).toBe(chunk.buffer);
    expect(block?.buffer.byteOffset).toBe(chunk.byteOffset);
  });

  it('hands a line spanning chunks over as a block of its own, then the rest of the chunk', () => {
    const splitter = createLineSplitter();
    expect(splitter.push(Buffer.from('a\nbb'))).toHaveLength(1);
    const blocks = splitter.push(Buffer.from('b\nc\nd\n'));
    expect(blocks.map((b) => b.buffer.toString())).toEqual(['bbb\n', 'c\nd\n']);
    expect(blocks.map((b) => b.byteOffset)).toEqual([2, 6]);
  });

  it('grows its offsets past the first estimate for many short lines', () => {
    const text = Buffer.from('\n'.repeat(5000) + 'x\n'.repeat(5000));
    const { records } = splitAll(createLineSplitter(), [text.subarray(0, 100), text.subarray(100)]);
    expect(records).toHaveLength(10000);
  });
});

describe('bareLine', () => {
  it('strips LF or CRLF and nothing else', () => {
    expect(bareLine(Buffer.from('a,b\n')).toString()).toBe('a,b');
    expect(bareLine(Buffer.from('a,b\r\n')).toString()).toBe('a,b');
    expect(bareLine(Buffer.from('a,b')).toString()).toBe('a,b');
    expect(bareLine(Buffer.from('\n')).toString()).toBe('');
    expect(bareLine(Buffer.from('\r')).toString()).toBe('\r');
    expect(bareLine(Buffer.from('a\r\r\n')).toString()).toBe('a\r');
  });
});
