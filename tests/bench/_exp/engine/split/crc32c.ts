/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), as TFRecord uses it. Slicing-by-8: eight
 * 256-entry tables let the loop fold eight input bytes per step instead of one, which is what makes
 * checking every TFRecord's data affordable on the split hot path (see test-support/bench-split.ts).
 *
 * No npm package was taken: the pure-JS ones are byte-at-a-time (@aws-crypto/crc32c) or pull in a
 * native addon (sse4_crc32, fast-crc32c); Node 20 has no built-in CRC-32C.
 */

const POLY = 0x82f63b78;

/**
 * TABLES[k * 256 + b] = CRC of byte b followed by k zero bytes. One flat Int32Array: int32 entries
 * stay small integers in V8 (no heap numbers), and the XORs below keep everything int32.
 */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const prev = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/**
 * CRC-32C of `buf[start, end)`, continuing from `crc` (the value a previous call returned; 0 to
 * start). Returns an unsigned 32-bit value.
 */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  // Eight bytes per step: the first four are XORed into the running CRC, the last four are looked
  // up on their own; each table advances its byte past the bytes that follow it in the step.
  const end8 = end - 7;
  while (i < end8) {
    const a = c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    c =
      t[0x700 | (a & 0xff)]! ^
      t[0x600 | ((a >>> 8) & 0xff)]! ^
      t[0x500 | ((a >>> 16) & 0xff)]! ^
      t[0x400 | (a >>> 24)]! ^
      t[0x300 | buf[i + 4]!]! ^
      t[0x200 | buf[i + 5]!]! ^
      t[0x100 | buf[i + 6]!]! ^
      t[buf[i + 7]!]!;
    i += 8;
  }
  while (i < end) c = (c >>> 8) ^ t[(c ^ buf[i++]!) & 0xff]!;
  return ~c >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant (uint32 arithmetic). */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
