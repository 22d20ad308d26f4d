/** S3's limits on a multipart upload. */
export const MAX_PARTS = 10_000;
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;

/** Default smallest part: fewer requests than S3's 5 MiB minimum at little memory cost. */
export const DEFAULT_MIN_PART_BYTES = 8 * 1024 * 1024;

const MiB = 1024 * 1024;
/** The expected size is sized to fill half the part budget: outputs can outgrow their estimate. */
const TARGET_PARTS = MAX_PARTS / 2;
/** Part size doubles after every this many parts (see partSizeFor). */
const PARTS_PER_STEP = 2_000;

/**
 * The size of the first parts: the smallest whole MiB that fits `expectedSize` in 5,000 parts, and
 * never below `minPartBytes`.
 */
export function basePartSize(expectedSize: number | undefined, minPartBytes = DEFAULT_MIN_PART_BYTES): number {
  if (!expectedSize || expectedSize <= 0) return minPartBytes;
  return Math.max(minPartBytes, Math.ceil(expectedSize / TARGET_PARTS / MiB) * MiB);
}

/**
 * The size of part `partNumber` (1-based). Parts double every 2,000 parts, so a write whose size
 * nobody knew still fits in 10,000 parts: 62,000 × base in all (about 484 GiB from 8 MiB parts),
 * while memory stays at a few base-size parts for outputs near their estimate.
 */
export function partSizeFor(partNumber: number, base: number): number {
  return base * 2 ** Math.floor((partNumber - 1) / PARTS_PER_STEP);
}
