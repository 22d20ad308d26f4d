import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc32c } from './crc32c.js';
import { randomInt, seededRandom } from './test-support/feed.js';

/** CRC-32C straight from its definition, one bit at a time. */
function bitwiseCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('agrees with the bitwise definition on any length and range, and continues across calls', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 200; round++) {
      const data = Buffer.alloc(randomInt(random, 0, 100));
      for (let i = 0; i < data.length; i++) data[i] = randomInt(random, 0, 255);
      const start = randomInt(random, 0, data.length);
      const end = randomInt(random, start, data.length);
      const middle = randomInt(random, start, end);
      const expected = bitwiseCrc32c(data.subarray(start, end));
      expect(crc32c(data, start, end)).toBe(expected);
      expect(crc32c(data, middle, end, crc32c(data, start, middle))).toBe(expected);
    }
  });
});

describe('maskCrc32c', () => {
  it('rotates right by 15 and adds 0xa282ead8, in uint32', () => {
    expect(maskCrc32c(0)).toBe(0xa282ead8);
    expect(maskCrc32c(0x00008000)).toBe(0xa282ead9);
    expect(maskCrc32c(0xffffffff)).toBe(0xa282ead7);
    expect(maskCrc32c(0x00000001)).toBe((0x00020000 + 0xa282ead8) >>> 0);
  });
});
