import { FramedSplitter, type RecordFraming, hex32, readUint32LE } from './framed.js';
import { type RecordSplitter, SplitError } from './record-block.js';

/**
 * MXNet RecordIO, as dmlc-core writes it (dmlc/recordio.h, src/recordio.cc). Each part is
 *   uint32 LE magic 0xced7230a | uint32 LE lrecord | payload | zero padding to a multiple of 4
 * with lrecord = cflag << 29 | length. cflag 0 is a whole record. The writer cuts a payload at
 * every 4-byte-aligned occurrence of the magic's bytes (so a reader resyncing on the magic never
 * lands inside a payload): part 1 has cflag 1, further parts cflag 2, the last part cflag 3, and
 * the magic itself is dropped; the reader joins the parts and puts the magic back between them.
 * Parts before the last have lengths that are multiples of 4, so only the last part is padded.
 * A framed record, in a block, is all of its parts with their headers and padding.
 */
export const RECORDIO_MAGIC = 0xced7230a;

const HEADER_BYTES = 8;
const LENGTH_MASK = (1 << 29) - 1;
const MAGIC_BYTES = Buffer.from([0x0a, 0x23, 0xd7, 0xce]);

const CFLAG_NAMES = ['whole record', 'first part', 'middle part', 'last part'];

function paddedLength(length: number): number {
  return (length + 3) & ~3;
}

function scanRecordIO(buf: Buffer, pos: number, limit: number, recordIndex: number, byteOffset: number): number {
  let p = pos;
  for (let part = 0; ; part++) {
    if (limit - p < HEADER_BYTES) return -(p - pos + HEADER_BYTES);
    const magic = readUint32LE(buf, p);
    if (magic !== RECORDIO_MAGIC) {
      const where = part === 0 ? '' : ` in part ${part + 1} (at byte ${byteOffset + p - pos})`;
      throw new SplitError(
        `RecordIO record ${recordIndex} at byte ${byteOffset}: bad magic ${hex32(magic)}${where} ` +
          `(expected ${hex32(RECORDIO_MAGIC)}); is SplitType right for this object?`,
        recordIndex,
        byteOffset,
      );
    }
    const lrecord = readUint32LE(buf, p + 4);
    const cflag = lrecord >>> 29;
    // A record is cflag 0, or 1 then any number of 2 then 3; anything else is corrupt.
    if (part === 0 ? cflag > 1 : cflag < 2 || cflag > 3) {
      throw new SplitError(
        `RecordIO record ${recordIndex} at byte ${byteOffset}: ${describeBadFlag(cflag, part, byteOffset + p - pos)}; ` +
          `the object is corrupt or not RecordIO`,
        recordIndex,
        byteOffset,
      );
    }
    p += HEADER_BYTES + paddedLength(lrecord & LENGTH_MASK);
    if (p > limit) return -(p - pos);
    if (cflag === 0 || cflag === 3) return p - pos;
  }
}

function describeBadFlag(cflag: number, part: number, at: number): string {
  if (cflag > 3) return `invalid cflag ${cflag} in part ${part + 1} at byte ${at} (expected 0 to 3)`;
  if (part === 0) return `starts with a ${CFLAG_NAMES[cflag]} (cflag ${cflag}) but no first part (cflag 1)`;
  return (
    `multi-part record has a ${CFLAG_NAMES[cflag]} (cflag ${cflag}) as part ${part + 1} at byte ${at}, ` +
    'before its last part (cflag 3)'
  );
}

function describeTruncatedRecordIO(buf: Buffer, length: number): string {
  let p = 0;
  for (let part = 1; ; part++) {
    const ofPart = part === 1 ? '' : ` of part ${part}`;
    if (length - p < HEADER_BYTES) {
      if (p > 0 && length === p) return `a multi-part record ends after part ${part - 1}, without its last part (cflag 3)`;
      return `truncated header${ofPart}: ${length - p} of ${HEADER_BYTES} bytes`;
    }
    const lrecord = readUint32LE(buf, p + 4);
    const payload = lrecord & LENGTH_MASK;
    const have = length - p - HEADER_BYTES;
    if (have < payload) return `truncated payload${ofPart}: ${have} of ${payload} bytes`;
    const padding = paddedLength(payload) - payload;
    if (have < payload + padding) return `truncated padding${ofPart}: ${have - payload} of ${padding} bytes`;
    p += HEADER_BYTES + payload + padding;
  }
}

const RECORDIO_FRAMING: RecordFraming = {
  name: 'RecordIO',
  scan: scanRecordIO,
  describeTruncation: describeTruncatedRecordIO,
  typicalRecordBytes: 4096,
};

/** Splits MXNet RecordIO; framed records keep their headers and padding. */
export function createRecordIOSplitter(): RecordSplitter {
  return new FramedSplitter(RECORDIO_FRAMING);
}

/**
 * The record's payload: a view when it is one part; for a multi-part record, its parts joined
 * with the magic bytes put back between them, as dmlc's reader returns it. Expects a framed
 * record as the splitter hands it over.
 */
export function bareRecordIO(framed: Buffer): Buffer {
  const lrecord = checkedHeader(framed, 0);
  const length = lrecord & LENGTH_MASK;
  if (lrecord >>> 29 === 0) return framed.subarray(HEADER_BYTES, HEADER_BYTES + length);
  const pieces: Buffer[] = [];
  for (let p = 0; p < framed.length; ) {
    const partLength = checkedHeader(framed, p) & LENGTH_MASK;
    if (pieces.length > 0) pieces.push(MAGIC_BYTES);
    pieces.push(framed.subarray(p + HEADER_BYTES, p + HEADER_BYTES + partLength));
    p += HEADER_BYTES + paddedLength(partLength);
  }
  return Buffer.concat(pieces);
}

/** The lrecord of the part at `framed[p]`, after checking that the part is there. */
function checkedHeader(framed: Buffer, p: number): number {
  if (framed.length - p < HEADER_BYTES || readUint32LE(framed, p) !== RECORDIO_MAGIC) {
    throw new RangeError(`not a framed RecordIO record: no RecordIO header at byte ${p} of ${framed.length}`);
  }
  const lrecord = readUint32LE(framed, p + 4);
  if (framed.length - p - HEADER_BYTES < (lrecord & LENGTH_MASK)) {
    throw new RangeError(`not a framed RecordIO record: the part at byte ${p} is cut short`);
  }
  return lrecord;
}

/**
 * RecordIO bytes for `payloads`, written as dmlc's RecordIOWriter writes them: a payload holding
 * the magic at a 4-byte-aligned position is cut there into parts. For tests and fixtures.
 */
export function encodeRecordIO(payloads: Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (const payload of payloads) {
    if (payload.length > LENGTH_MASK) {
      throw new RangeError(`RecordIO payloads must be under 2^29 bytes, got ${payload.length}`);
    }
    let from = 0;
    const aligned = payload.length & ~3;
    for (let i = 0; i < aligned; i += 4) {
      if (payload.compare(MAGIC_BYTES, 0, 4, i, i + 4) === 0) {
        out.push(partHeader(from === 0 ? 1 : 2, i - from), payload.subarray(from, i));
        from = i + 4;
      }
    }
    out.push(partHeader(from === 0 ? 0 : 3, payload.length - from), payload.subarray(from));
    out.push(Buffer.alloc(paddedLength(payload.length) - payload.length));
  }
  return Buffer.concat(out);
}

function partHeader(cflag: number, length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(RECORDIO_MAGIC, 0);
  header.writeUInt32LE(((cflag << 29) | length) >>> 0, 4);
  return header;
}
