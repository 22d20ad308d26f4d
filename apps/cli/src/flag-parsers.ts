import { InvalidArgumentError } from 'commander';
import { UsageError } from './exit-codes.js';

/** A commander parser for a whole number in [min, max], naming the flag when it is not. */
export function integer(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max} (got '${value}')`);
    }
    return n;
  };
}

/** A commander parser for any number in [min, max] (a fraction, a rate), naming the flag when it is not. */
export function decimal(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} takes a number from ${min} to ${max} (got '${value}')`);
    return n;
  };
}

/** For repeatable flags: `--env A=1 --env B=2`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `['A=1', 'B=x=y']` → `{ A: '1', B: 'x=y' }`; a pair without `=` is a usage error naming the flag. */
export function keyValuePairs(flag: string, pairs: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} takes KEY=VALUE (got '${pair}')`);
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}
