import { describe, expect, it } from 'vitest';
import { formatStorageUri, joinKey, parseStorageUri, prefixDirectory } from './uri.js';

describe('parseStorageUri', () => {
  it.each([
    ['s3://bucket/data/part-1.csv', { scheme: 's3', bucket: 'bucket', key: 'data/part-1.csv' }],
    ['s3://bucket/data/', { scheme: 's3', bucket: 'bucket', key: 'data/' }],
    ['s3://bucket', { scheme: 's3', bucket: 'bucket', key: '' }],
    ['s3://my.bucket-1/a b%20c', { scheme: 's3', bucket: 'my.bucket-1', key: 'a b%20c' }], // S3 keys are literal
    ['file:///tmp/in/', { scheme: 'file', bucket: '', key: 'tmp/in/' }],
    ['file:///tmp/my%20dir/a%23b.csv', { scheme: 'file', bucket: '', key: 'tmp/my dir/a#b.csv' }],
  ])('parses %s', (uri, expected) => {
    expect(parseStorageUri(uri)).toEqual(expected);
  });

  it.each([
    ['data/in.csv', 'Unsupported storage URI'],
    ['/data/in.csv', 'write file:///data/in.csv'],
    ['http://host/data', 'Unsupported storage URI'],
    ['S3://bucket/x', 'Unsupported storage URI'],
    ['s3://', 'has no bucket name'],
    ['s3:///key', 'has no bucket name'],
    ['s3://bad bucket/x', 'invalid bucket name "bad bucket"'],
    ['file://data/in.csv', 'not an absolute file URI'],
    ['file:data/in.csv', 'not an absolute file URI'],
    ['file:///a%2Fb', 'not a valid file URI'],
  ])('rejects %s, saying what form is expected', (uri, why) => {
    let error: unknown;
    try {
      parseStorageUri(uri);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ name: 'StorageError', code: 'InvalidUri', uri });
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain('expected s3://bucket/prefix or file:///absolute/path');
  });
});

describe('formatStorageUri', () => {
  it.each(['s3://bucket/a/b.csv', 's3://bucket/', 'file:///tmp/in/', 'file:///tmp/my%20dir/a%23b.csv', 'file:///tmp/%25'])(
    'gives %s back from its parse',
    (uri) => {
      expect(formatStorageUri(parseStorageUri(uri))).toBe(uri);
    },
  );
});

describe('keys', () => {
  it('joins a prefix and a relative key with exactly one slash', () => {
    expect(joinKey('out', 'a/x.out')).toBe('out/a/x.out');
    expect(joinKey('out/', 'a/x.out')).toBe('out/a/x.out');
    expect(joinKey('', 'x.out')).toBe('x.out');
  });

  it('takes a prefix up to its last slash as its directory', () => {
    expect(prefixDirectory('data/part')).toBe('data/');
    expect(prefixDirectory('data/')).toBe('data/');
    expect(prefixDirectory('part')).toBe('');
  });
});
