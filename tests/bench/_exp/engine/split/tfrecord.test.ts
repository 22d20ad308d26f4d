import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc32c } from './crc32c.js';
import { SplitError } from './record-block.js';
import { bareTFRecord, createTFRecordSplitter, encodeTFRecord } from './tfrecord.js';
import { CHUNKINGS, positionsOf, randomInt, seededRandom, splitAll } from './test-support/feed.js';

/** One record, written out by hand from the format's definition. */
function record(data: string | Buffer): Buffer {
  const payload = Buffer.from(data);
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(payload.length), 0);
  header.writeUInt32LE(maskCrc32c(crc32c(header.subarray(0, 8))), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskCrc32c(crc32c(payload)), 0);
  return Buffer.concat([header, payload, footer]);
}

function splitError(data: Buffer, cut: (data: Buffer) => Buffer[] = (d) => [d]): SplitError {
  try {
    splitAll(createTFRecordSplitter(), cut(data));
  } catch (error) {
    expect(error).toBeInstanceOf(SplitError);
    return error as SplitError;
  }
  throw new Error('expected a SplitError');
}

describe('encodeTFRecord', () => {
  it('writes length, masked length CRC, data and masked data CRC', () => {
    expect(encodeTFRecord([Buffer.from('hello'), Buffer.alloc(0)])).toEqual(Buffer.concat([record('hello'), record('')]));
    // An empty record: length 0 and the masked CRC-32C of eight zero bytes, then the empty data's.
    expect(encodeTFRecord([Buffer.alloc(0)]).toString('hex')).toBe(
      '0000000000000000' + hexLE(maskCrc32c(crc32c(Buffer.alloc(8)))) + hexLE(maskCrc32c(0)),
    );
  });
});

describe.each(CHUNKINGS)('TFRecord splitter, input fed $name', ({ cut }) => {
  it('hands over each framed record byte for byte, with its position', () => {
    const expected = [record('first'), record(''), record('x'.repeat(300)), record('last')];
    const { records, positions } = splitAll(createTFRecordSplitter(), cut(Buffer.concat(expected)));
    expect(records).toEqual(expected);
    expect(positions).toEqual(positionsOf(expected));
  });

  it('gives no records for an empty object', () => {
    expect(splitAll(createTFRecordSplitter(), cut(Buffer.alloc(0))).records).toEqual([]);
  });

  it('round-trips random payloads', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 20; round++) {
      const payloads = Array.from({ length: randomInt(random, 0, 10) }, () => {
        const payload = Buffer.alloc(randomInt(random, 0, random() < 0.1 ? 5000 : 50));
        for (let i = 0; i < payload.length; i++) payload[i] = randomInt(random, 0, 255);
        return payload;
      });
      const { records } = splitAll(createTFRecordSplitter(), cut(encodeTFRecord(payloads)));
      expect(records.map(bareTFRecord)).toEqual(payloads);
    }
  });

  it('reports a corrupt data CRC with the record, its byte and both CRCs', () => {
    const bad = record('payload');
    const stored = bad.readUInt32LE(bad.length - 4);
    flipBit(bad, 14);
    const computed = maskCrc32c(crc32c(bad.subarray(12, bad.length - 4)));
    const error = splitError(Buffer.concat([record('a'), record('bb'), bad, record('c')]), cut);
    expect([error.recordIndex, error.byteOffset]).toEqual([2, 35]);
    expect(error.message).toBe(
      `TFRecord record 2 at byte 35: data CRC mismatch (stored ${hex(stored)}, computed ${hex(computed)}); the object is corrupt`,
    );
  });

  it('reports a corrupt length CRC with the record and its byte', () => {
    const bad = record('payload');
    flipBit(bad, 0);
    const error = splitError(Buffer.concat([record('a'), bad]), cut);
    expect([error.recordIndex, error.byteOffset]).toEqual([1, 17]);
    expect(error.message).toMatch(
      /^TFRecord record 1 at byte 17: length CRC mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\); is SplitType right for this object\?$/,
    );
  });
});

describe('TFRecord errors', () => {
  it.each([
    ['header', 7, 'truncated header: 7 of 12 bytes'],
    ['data', 14, 'truncated data: 2 of 5 bytes'],
    ['data CRC', 19, 'truncated data CRC: 2 of 4 bytes'],
  ])('reports a record cut short in its %s at the end of the object', (_, keep, what) => {
    const data = Buffer.concat([record('abc'), record('hello').subarray(0, keep)]);
    for (const { cut } of CHUNKINGS) {
      const error = splitError(data, cut);
      expect([error.recordIndex, error.byteOffset]).toEqual([1, 19]);
      expect(error.message).toContain(`TFRecord record 1 at byte 19: the object ends inside the record (${what})`);
    }
  });

  it('refuses a length of 2 GiB or more (with a valid length CRC)', () => {
    const header = Buffer.alloc(12);
    header.writeBigUInt64LE(2n ** 40n, 0);
    header.writeUInt32LE(maskCrc32c(crc32c(header.subarray(0, 8))), 8);
    const error = splitError(Buffer.concat([record('ok'), header]));
    expect([error.recordIndex, error.byteOffset]).toEqual([1, 18]);
    expect(error.message).toContain('TFRecord record 1 at byte 18: length 1099511627776 is over 2147483631 bytes');
  });
});

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function hexLE(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value, 0);
  return b.toString('hex');
}

function flipBit(buf: Buffer, at: number): void {
  buf.writeUInt8(buf.readUInt8(at) ^ 0x01, at);
}
