import { describe, expect, it } from 'vitest';
import { ZResourceNameSchema } from '@sluice/contracts';
import { baseFromName, nameFromBase, sagemakerTimestamp } from './job-names.js';

const AT = new Date(Date.UTC(2024, 0, 5, 7, 8, 9, 42));

describe('job names', () => {
  it('stamps UTC time to the millisecond as the Python SDK does', () => {
    expect(sagemakerTimestamp(AT)).toBe('2024-01-05-07-08-09-042');
    expect(nameFromBase('my-model', AT)).toBe('my-model-2024-01-05-07-08-09-042');
  });

  it('cuts a long base so that the name keeps its timestamp and fits 63 characters', () => {
    const name = nameFromBase('m'.repeat(80), AT);
    expect(name).toHaveLength(63);
    expect(name).toBe(`${'m'.repeat(39)}-2024-01-05-07-08-09-042`);
    expect(ZResourceNameSchema.safeParse(name).success).toBe(true);
  });

  it('recovers the base of a generated name and leaves other names alone', () => {
    expect(baseFromName('my-model-2024-01-05-07-08-09-042')).toBe('my-model');
    expect(baseFromName('nightly-scores')).toBe('nightly-scores');
  });
});
