import { describe, expect, it } from 'vitest';
import { basePartSize, DEFAULT_MIN_PART_BYTES, MAX_PARTS, partSizeFor } from './part-size.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** How many parts a write of `size` bytes takes from `base`. */
function partsFor(size: number, base: number): number {
  let written = 0;
  let parts = 0;
  while (written < size) written += partSizeFor(++parts, base);
  return parts;
}

describe('multipart part sizes', () => {
  it('uses 8 MiB parts when the size is unknown or small', () => {
    expect(basePartSize(undefined)).toBe(8 * MiB);
    expect(basePartSize(100 * MiB)).toBe(8 * MiB);
    expect(basePartSize(1 * GiB, 16 * MiB)).toBe(16 * MiB);
  });

  it('sizes parts in whole MiB so the expected size takes at most 5,000 parts', () => {
    const base = basePartSize(100 * GiB);
    expect(base % MiB).toBe(0);
    expect(base).toBe(21 * MiB);
    expect(partsFor(100 * GiB, base)).toBeLessThanOrEqual(5000);
  });

  it.each([1 * GiB, 80 * GiB, 500 * GiB, 5 * 1024 * GiB])('fits twice the expected %d bytes in 10,000 parts', (expected) => {
    expect(partsFor(2 * expected, basePartSize(expected))).toBeLessThanOrEqual(MAX_PARTS);
  });

  it('fits an unannounced write of over 480 GiB, growing parts as it goes', () => {
    expect(partsFor(480 * GiB, DEFAULT_MIN_PART_BYTES)).toBeLessThanOrEqual(MAX_PARTS);
    expect(partSizeFor(1, 8 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(2000, 8 * MiB)).toBe(8 * MiB);
    expect(partSizeFor(2001, 8 * MiB)).toBe(16 * MiB);
  });
});
