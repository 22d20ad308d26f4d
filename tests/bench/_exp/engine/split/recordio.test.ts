import { describe, expect, it } from 'vitest';
import { SplitError } from './record-block.js';
import { RECORDIO_MAGIC, bareRecordIO, createRecordIOSplitter, encodeRecordIO } from './recordio.js';
import { CHUNKINGS, positionsOf, randomInt, seededRandom, splitAll } from './test-support/feed.js';

const MAGIC = Buffer.from([0x0a, 0x23, 0xd7, 0xce]);

/** One part, written out by hand: magic, lrecord, payload, zero padding. */
function part(cflag: number, payload: Buffer | string): Buffer {
  const data = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(RECORDIO_MAGIC, 0);
  header.writeUInt32LE(((cflag << 29) | data.length) >>> 0, 4);
  return Buffer.concat([header, data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

/** The error a failing split throws (the test fails if it does not throw). */
function splitError(data: Buffer): SplitError {
  try {
    splitAll(createRecordIOSplitter(), [data]);
  } catch (error) {
    expect(error).toBeInstanceOf(SplitError);
    return error as SplitError;
  }
  throw new Error('expected a SplitError');
}

function randomPayload(random: () => number): Buffer {
  const payload = Buffer.alloc(randomInt(random, 0, random() < 0.1 ? 3000 : 40));
  for (let i = 0; i < payload.length; i++) payload[i] = randomInt(random, 0, 255);
  // Plant the magic, often at 4-byte-aligned positions (where the writer cuts), sometimes not.
  for (let k = randomInt(random, 0, 3); k > 0 && payload.length >= 4; k--) {
    const at = randomInt(random, 0, payload.length - 4);
    MAGIC.copy(payload, random() < 0.8 ? at & ~3 : at);
  }
  return payload;
}

describe('encodeRecordIO', () => {
  it('writes a whole record as one part with zero padding to 4 bytes', () => {
    expect(encodeRecordIO([Buffer.from('hello')])).toEqual(part(0, 'hello'));
    expect(encodeRecordIO([Buffer.from('')])).toEqual(part(0, ''));
    expect(encodeRecordIO([Buffer.from('abcd')])).toEqual(part(0, 'abcd'));
  });

  it('cuts a payload at the magic, as dmlc does, dropping the magic between parts', () => {
    const payload = Buffer.concat([Buffer.from('abcd'), MAGIC, Buffer.from('efg')]);
    expect(encodeRecordIO([payload])).toEqual(Buffer.concat([part(1, 'abcd'), part(3, 'efg')]));
  });

  it('makes empty parts for the magic at the start, twice in a row and at the end', () => {
    const payload = Buffer.concat([MAGIC, Buffer.from('wxyz'), MAGIC, MAGIC]);
    expect(encodeRecordIO([payload])).toEqual(
      Buffer.concat([part(1, ''), part(2, 'wxyz'), part(2, ''), part(3, '')]),
    );
  });

  it('leaves the magic whole when it is not 4-byte aligned in the payload', () => {
    const payload = Buffer.concat([Buffer.from('ab'), MAGIC, Buffer.from('cd')]);
    expect(encodeRecordIO([payload])).toEqual(part(0, payload));
  });
});

describe.each(CHUNKINGS)('RecordIO splitter, input fed $name', ({ cut }) => {
  it('hands over each framed record byte for byte, with its position', () => {
    const data = Buffer.concat([part(0, 'one'), part(0, ''), part(0, 'four'), part(1, 'ab\0\0'), part(3, 'c'), part(0, 'x')]);
    const { records, positions } = splitAll(createRecordIOSplitter(), cut(data));
    const expected = [part(0, 'one'), part(0, ''), part(0, 'four'), Buffer.concat([part(1, 'ab\0\0'), part(3, 'c')]), part(0, 'x')];
    expect(records).toEqual(expected);
    expect(positions).toEqual(positionsOf(expected));
  });

  it('gives no records for an empty object', () => {
    expect(splitAll(createRecordIOSplitter(), cut(Buffer.alloc(0))).records).toEqual([]);
  });

  it('round-trips random payloads, including ones holding the magic', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 30; round++) {
      const payloads = Array.from({ length: randomInt(random, 0, 12) }, () => randomPayload(random));
      const data = encodeRecordIO(payloads);
      const { records } = splitAll(createRecordIOSplitter(), cut(data));
      expect(records.map(bareRecordIO)).toEqual(payloads);
      expect(Buffer.concat(records)).toEqual(data);
    }
  });
});

describe('bareRecordIO', () => {
  it('returns a whole record as a view of its payload', () => {
    const framed = part(0, 'payload');
    const bare = bareRecordIO(framed);
    expect(bare.toString()).toBe('payload');
    expect(bare.buffer).toBe(framed.buffer);
  });

  it('joins parts, putting the magic back between them, as dmlc reads them', () => {
    const framed = Buffer.concat([part(1, ''), part(2, 'wxyz'), part(3, 'q')]);
    expect(bareRecordIO(framed)).toEqual(Buffer.concat([MAGIC, Buffer.from('wxyz'), MAGIC, Buffer.from('q')]));
  });
});

describe('RecordIO errors', () => {
  it('names the record, its byte and the bad magic', () => {
    const data = Buffer.concat([part(0, 'good'), part(0, 'ok'), Buffer.from('not recordio at all')]);
    const error = splitError(data);
    expect(error.recordIndex).toBe(2);
    expect(error.byteOffset).toBe(24);
    expect(error.message).toBe(
      'RecordIO record 2 at byte 24: bad magic 0x20746f6e (expected 0xced7230a); is SplitType right for this object?',
    );
  });

  it('names the part whose magic is bad inside a multi-part record', () => {
    const second = part(3, 'b');
    second.writeUInt32LE(0xdeadbeef, 0);
    const error = splitError(Buffer.concat([part(1, 'aaaa'), second]));
    expect(error.message).toContain('RecordIO record 0 at byte 0: bad magic 0xdeadbeef in part 2 (at byte 12)');
  });

  it.each([
    ['a truncated header', Buffer.concat([part(0, 'abc'), part(0, 'x').subarray(0, 5)]), 'truncated header: 5 of 8 bytes'],
    ['a truncated payload', Buffer.concat([part(0, 'abc'), part(0, 'xyzxyz').subarray(0, 10)]), 'truncated payload: 2 of 6 bytes'],
    ['truncated padding', Buffer.concat([part(0, 'abc'), part(0, 'xyzxyz').subarray(0, 15)]), 'truncated padding: 1 of 2 bytes'],
    ['a multi-part record without its last part', Buffer.concat([part(0, 'abc'), part(1, 'abcd'), part(2, 'efgh')]), 'a multi-part record ends after part 2, without its last part (cflag 3)'],
    ['a last part cut short', Buffer.concat([part(0, 'abc'), part(1, 'abcd'), part(3, 'efgh').subarray(0, 6)]), 'truncated header of part 2: 6 of 8 bytes'],
  ])('reports %s at the end of the object, whatever the chunking', (_, data, what) => {
    for (const { cut } of CHUNKINGS) {
      const error = (() => {
        try {
          splitAll(createRecordIOSplitter(), cut(data));
        } catch (e) {
          return e as SplitError;
        }
        throw new Error('expected a SplitError');
      })();
      expect(error).toBeInstanceOf(SplitError);
      expect(error.recordIndex).toBe(1);
      expect(error.byteOffset).toBe(12);
      expect(error.message).toContain(`RecordIO record 1 at byte 12: the object ends inside the record (${what})`);
    }
  });

  it('refuses a middle or last part with no first part', () => {
    const error = splitError(Buffer.concat([part(0, 'a'), part(2, 'b')]));
    expect([error.recordIndex, error.byteOffset]).toEqual([1, 12]);
    expect(error.message).toContain('RecordIO record 1 at byte 12: starts with a middle part (cflag 2) but no first part (cflag 1)');
    expect(splitError(part(3, 'b')).message).toContain('starts with a last part (cflag 3)');
  });

  it('refuses a first part followed by a whole record', () => {
    const error = splitError(Buffer.concat([part(1, 'abcd'), part(0, 'b')]));
    expect([error.recordIndex, error.byteOffset]).toEqual([0, 0]);
    expect(error.message).toContain(
      'RecordIO record 0 at byte 0: multi-part record has a whole record (cflag 0) as part 2 at byte 12, before its last part (cflag 3)',
    );
  });

  it('refuses a cflag above 3', () => {
    expect(splitError(part(5, 'x')).message).toContain('invalid cflag 5 in part 1 at byte 0 (expected 0 to 3)');
  });
});
