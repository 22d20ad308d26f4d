/**
 * Compares keys in the order S3 lists them: by their UTF-8 bytes. JavaScript's `<` compares UTF-16
 * code units, which disagrees for characters outside the Basic Multilingual Plane, and
 * `localeCompare` disagrees almost everywhere ('B' vs 'a', '-' vs '/').
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
