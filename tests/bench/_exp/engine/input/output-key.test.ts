import { describe, expect, it } from 'vitest';
import { outputKeyFor, outputUriFor } from './output-key.js';

describe('output names', () => {
  it('appends .out to the relative key under the output prefix, with or without its slash', () => {
    expect(outputKeyFor('results/job-1', 'a/x.csv')).toBe('results/job-1/a/x.csv.out');
    expect(outputKeyFor('results/job-1/', 'a/x.csv')).toBe('results/job-1/a/x.csv.out');
    expect(outputKeyFor('', 'x.csv')).toBe('x.csv.out');
  });

  it('does the same from an output URI to the output object URI', () => {
    expect(outputUriFor('s3://bucket/out', 'a/x.csv')).toBe('s3://bucket/out/a/x.csv.out');
    expect(outputUriFor('s3://bucket/out/', 'a/x.csv')).toBe('s3://bucket/out/a/x.csv.out');
    expect(outputUriFor('s3://bucket', 'x.csv')).toBe('s3://bucket/x.csv.out');
    expect(outputUriFor('file:///srv/out', 'my file.csv')).toBe('file:///srv/out/my%20file.csv.out');
  });
});
