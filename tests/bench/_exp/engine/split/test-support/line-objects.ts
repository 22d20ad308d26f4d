import { randomInt } from './feed.js';

/** Random lines: empty ones, short and long, LF or CRLF, with or without a trailing newline. */
export function randomLineObject(random: () => number): Buffer {
  const parts: string[] = [];
  const count = randomInt(random, 0, 40);
  for (let i = 0; i < count; i++) {
    const length = random() < 0.2 ? 0 : randomInt(random, 1, random() < 0.1 ? 300 : 12);
    parts.push('x'.repeat(length) + (random() < 0.3 ? '\r\n' : '\n'));
  }
  if (random() < 0.5) parts.push('tail'.slice(0, randomInt(random, 1, 4)));
  return Buffer.from(parts.join(''));
}
