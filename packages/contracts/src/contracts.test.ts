import { describe, expect, it } from 'vitest';
import { fieldPath, ZCreateJobSchema, ZCreateModelSchema, ZStorageUriSchema } from './index.js';

const issues = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('ZCreateJobSchema', () => {
  const job = { name: 'nightly-scores', modelName: 'scorer', input: { uri: 's3://bucket/in/' }, output: { uri: 's3://bucket/out/' } };

  it('fills SageMaker\'s defaults', () => {
    expect(ZCreateJobSchema.parse(job)).toMatchObject({ input: { dataType: 'S3Prefix' }, transform: {}, instanceCount: 1, instanceType: 'default', environment: {}, tags: [] });
  });

  it('reports the engine\'s range and cross-field rules on the field they concern', () => {
    const result = ZCreateJobSchema.safeParse({ ...job, transform: { splitType: 'Line', maxPayloadInMB: 30, maxConcurrentTransforms: 4, dataProcessing: { joinSource: 'Input' } } });
    expect(issues(result)).toEqual([
      'transform.maxConcurrentTransforms: MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 (got 4 × 30 = 120)',
      'transform.dataProcessing.joinSource: JoinSource Input with SplitType Line needs AssembleWith Line',
    ]);
  });

  it('names the job name rule and the storage URI form', () => {
    const result = ZCreateJobSchema.safeParse({ ...job, name: '-bad', input: { uri: '/data/in' } });
    expect(issues(result)).toEqual([
      'name: must be letters, digits and hyphens, starting and ending with a letter or digit',
      'input.uri: must be s3://bucket/prefix or file:///absolute/path',
    ]);
  });

  it('allows at most 16 environment variables, as SageMaker', () => {
    const environment = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`V${i}`, 'x']));
    expect(issues(ZCreateJobSchema.safeParse({ ...job, environment }))).toEqual(['environment: at most 16 variables']);
  });
});

describe('ZCreateModelSchema', () => {
  it('needs a URL for an http model and a command for a command model', () => {
    expect(issues(ZCreateModelSchema.safeParse({ name: 'm', kind: 'http' }))).toEqual(['url: an http model needs the URL of its server']);
    expect(issues(ZCreateModelSchema.safeParse({ name: 'm', kind: 'command', url: 'http://x' }))).toEqual([
      'command: a command model needs the command that starts its server',
      'url: a command model is started by the worker; it has no URL',
    ]);
  });
});

describe('storage URIs and field paths', () => {
  it('accepts s3:// and file:/// URIs only', () => {
    expect(ZStorageUriSchema.safeParse('s3://my-bucket/prefix/').success).toBe(true);
    expect(ZStorageUriSchema.safeParse('file:///tmp/data').success).toBe(true);
    expect(ZStorageUriSchema.safeParse('https://example.com/x').success).toBe(false);
  });

  it('maps SageMaker field names to request paths', () => {
    expect(fieldPath('DataProcessing.JoinSource')).toEqual(['dataProcessing', 'joinSource']);
    expect(fieldPath('MaxPayloadInMB')).toEqual(['maxPayloadInMB']);
  });
});
