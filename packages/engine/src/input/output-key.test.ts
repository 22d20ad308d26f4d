import { describe, expect, it } from 'vitest';
import { outputKeyFor, outputUriFor, relativeKeyProblem } from './output-key.js';

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

describe('relativeKeyProblem', () => {
  it('accepts keys that stay below the prefix', () => {
    for (const key of ['a.csv', '2024/01/part-1.csv', 'dots..in.name', '.hidden', 'a/.b/c', 'x%20y']) expect(relativeKeyProblem(key), key).toBeUndefined();
  });

  it('names what could lead a key elsewhere', () => {
    expect(relativeKeyProblem('../teamB/f.jsonl')).toBe('it has a . or .. segment');
    expect(relativeKeyProblem('a/./b')).toBe('it has a . or .. segment');
    expect(relativeKeyProblem('a/..')).toBe('it has a . or .. segment');
    expect(relativeKeyProblem('/etc/passwd')).toBe('it starts with /');
    expect(relativeKeyProblem('..\\teamB\\f')).toBe('it holds a backslash');
    expect(relativeKeyProblem('%2E%2E/teamB/f')).toBe('it holds an encoded separator or dot (%2F, %5C or %2E)');
    expect(relativeKeyProblem('a%2fb')).toBe('it holds an encoded separator or dot (%2F, %5C or %2E)');
    expect(relativeKeyProblem('a\nb')).toBe('it holds a control character');
  });
});
