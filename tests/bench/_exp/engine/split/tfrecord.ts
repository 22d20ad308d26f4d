import { crc32c, maskCrc32c } from './crc32c.js';
import { FramedSplitter, type RecordFraming, hex32, readUint32LE } from './framed.js';
import { MAX_RECORD_BYTES } from './offsets.js';
import { type RecordSplitter, SplitError } from './record-block.js';

/**
 * TFRecord: uint64 LE length | uint32 LE masked CRC-32C of the 8 length bytes | data |
 * uint32 LE masked CRC-32C of the data. Both CRCs are checked: a wrong length CRC almost always
 * means the object is not TFRecord (or SplitType is wrong), a wrong data CRC that it is corrupt.
 */
const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

/** Offsets are int32, so a framed record must stay under 2 GiB (TensorFlow itself allows more). */
export const MAX_TFRECORD_DATA_BYTES = MAX_RECORD_BYTES - HEADER_BYTES - FOOTER_BYTES;

function scanTFRecord(buf: Buffer, pos: number, limit: number, recordIndex: number, byteOffset: number): number {
  if (limit - pos < HEADER_BYTES) return -HEADER_BYTES;
  const storedLengthCrc = readUint32LE(buf, pos + 8);
  const lengthCrc = maskCrc32c(crc32c(buf, pos, pos + 8));
  if (storedLengthCrc !== lengthCrc) {
    throw new SplitError(
      `TFRecord record ${recordIndex} at byte ${byteOffset}: length CRC mismatch (stored ${hex32(storedLengthCrc)}, ` +
        `computed ${hex32(lengthCrc)}); is SplitType right for this object?`,
      recordIndex,
      byteOffset,
    );
  }
  const length = readUint32LE(buf, pos);
  if (readUint32LE(buf, pos + 4) !== 0 || length > MAX_TFRECORD_DATA_BYTES) {
    throw new SplitError(
      `TFRecord record ${recordIndex} at byte ${byteOffset}: length ${buf.readBigUInt64LE(pos)} is over ` +
        `${MAX_TFRECORD_DATA_BYTES} bytes, the most Sluice can send as one record`,
      recordIndex,
      byteOffset,
    );
  }
  const framed = HEADER_BYTES + length + FOOTER_BYTES;
  if (limit - pos < framed) return -framed;
  const dataEnd = pos + HEADER_BYTES + length;
  const storedDataCrc = readUint32LE(buf, dataEnd);
  const dataCrc = maskCrc32c(crc32c(buf, pos + HEADER_BYTES, dataEnd));
  if (storedDataCrc !== dataCrc) {
    throw new SplitError(
      `TFRecord record ${recordIndex} at byte ${byteOffset}: data CRC mismatch (stored ${hex32(storedDataCrc)}, ` +
        `computed ${hex32(dataCrc)}); the object is corrupt`,
      recordIndex,
      byteOffset,
    );
  }
  return framed;
}

function describeTruncatedTFRecord(buf: Buffer, length: number): string {
  if (length < HEADER_BYTES) return `truncated header: ${length} of ${HEADER_BYTES} bytes`;
  const dataLength = readUint32LE(buf, 0);
  const have = length - HEADER_BYTES;
  if (have < dataLength) return `truncated data: ${have} of ${dataLength} bytes`;
  return `truncated data CRC: ${have - dataLength} of ${FOOTER_BYTES} bytes`;
}

const TFRECORD_FRAMING: RecordFraming = {
  name: 'TFRecord',
  scan: scanTFRecord,
  describeTruncation: describeTruncatedTFRecord,
  typicalRecordBytes: 4096,
};

/** Splits TFRecord, checking both CRCs of every record; framed records keep header and CRCs. */
export function createTFRecordSplitter(): RecordSplitter {
  return new FramedSplitter(TFRECORD_FRAMING);
}

/** The record's data, without length, CRCs (a view, no copy; CRCs are not checked again). */
export function bareTFRecord(framed: Buffer): Buffer {
  if (framed.length < HEADER_BYTES + FOOTER_BYTES) {
    throw new RangeError(`not a framed TFRecord record: ${framed.length} bytes`);
  }
  return framed.subarray(HEADER_BYTES, framed.length - FOOTER_BYTES);
}

/** TFRecord bytes for `payloads`, with both CRCs. For tests and fixtures. */
export function encodeTFRecord(payloads: Buffer[]): Buffer {
  let size = 0;
  for (const payload of payloads) size += HEADER_BYTES + payload.length + FOOTER_BYTES;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const payload of payloads) {
    out.writeBigUInt64LE(BigInt(payload.length), at);
    out.writeUInt32LE(maskCrc32c(crc32c(out, at, at + 8)), at + 8);
    payload.copy(out, at + HEADER_BYTES);
    at += HEADER_BYTES + payload.length;
    out.writeUInt32LE(maskCrc32c(crc32c(payload)), at);
    at += FOOTER_BYTES;
  }
  return out;
}
