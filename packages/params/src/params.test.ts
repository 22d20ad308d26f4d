import { describe, expect, it } from 'vitest';
import {
  checkTransformRequest,
  defaultValue,
  dropUndefined,
  fieldName,
  fieldPath,
  formatBytes,
  parseTransformRequest,
  schemaLeafPaths,
  TRANSFORM_DEFAULTS,
  TRANSFORM_FIELDS,
  TransformParamsError,
  valueKind,
  ZTransformParamsSchema,
} from './index.js';

const issues = (request: unknown) => checkTransformRequest(request).issues.map((i) => `${i.path}: ${i.message}`);

describe('the defaults', () => {
  it("are SageMaker's where the job and the model say nothing", () => {
    expect(TRANSFORM_DEFAULTS).toEqual({
      splitType: 'None',
      compressionType: 'None',
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 6,
      maxConcurrentTransforms: 1,
      assembleWith: 'None',
      dataProcessing: { inputFilter: '$', outputFilter: '$', joinSource: 'None' },
      modelClientConfig: { invocationsTimeoutInSeconds: 600, invocationsMaxRetries: 3 },
      errorPolicy: { mode: 'fail-object', placeholder: 'ERROR', maxRecordErrorRate: 1 },
    });
  });

  it('fill only what a partly decided request leaves out', () => {
    expect(ZTransformParamsSchema.parse({ splitType: 'Line', errorPolicy: { mode: 'placeholder' } })).toMatchObject({
      splitType: 'Line',
      errorPolicy: { mode: 'placeholder', placeholder: 'ERROR', maxRecordErrorRate: 1 },
      dataProcessing: { inputFilter: '$' },
    });
  });

  it('are found by request path', () => {
    expect(defaultValue('maxPayloadInMB')).toBe(6);
    expect(defaultValue('modelClientConfig.invocationsTimeoutInSeconds')).toBe(600);
    expect(defaultValue('contentType')).toBeUndefined();
  });
});

describe("SageMaker's limits, each named by its request path", () => {
  it.each([
    [{ maxPayloadInMB: 101 }, 'maxPayloadInMB: must be a whole number from 0 to 100 (got 101)'],
    [{ maxPayloadInMB: -1 }, 'maxPayloadInMB: must be a whole number from 0 to 100 (got -1)'],
    [{ maxPayloadInMB: 1.5 }, 'maxPayloadInMB: must be a whole number from 0 to 100 (got 1.5)'],
    [{ maxConcurrentTransforms: 1001 }, 'maxConcurrentTransforms: must be a whole number from 0 to 1000 (got 1001)'],
    [{ modelClientConfig: { invocationsTimeoutInSeconds: 0 } }, 'modelClientConfig.invocationsTimeoutInSeconds: must be a whole number from 1 to 3600 (got 0)'],
    [{ modelClientConfig: { invocationsTimeoutInSeconds: 3601 } }, 'modelClientConfig.invocationsTimeoutInSeconds: must be a whole number from 1 to 3600 (got 3601)'],
    [{ modelClientConfig: { invocationsMaxRetries: 4 } }, 'modelClientConfig.invocationsMaxRetries: must be a whole number from 0 to 3 (got 4)'],
    [{ errorPolicy: { maxRecordErrorRate: 1.5 } }, 'errorPolicy.maxRecordErrorRate: must be a fraction from 0 to 1 (got 1.5)'],
    [{ contentType: 'x'.repeat(257) }, 'contentType: must be at most 256 characters'],
    [{ accept: 'x'.repeat(257) }, 'accept: must be at most 256 characters'],
    [{ kmsKeyId: 'k'.repeat(2049) }, 'kmsKeyId: must be at most 2048 characters'],
    [{ dataProcessing: { inputFilter: `$.${'a'.repeat(62)}` } }, 'dataProcessing.inputFilter: must be at most 63 characters (got 64)'],
    [{ dataProcessing: { outputFilter: `$.${'a'.repeat(62)}` } }, 'dataProcessing.outputFilter: must be at most 63 characters (got 64)'],
    [{ splitType: 'Lines' }, "splitType: must be one of None, Line, RecordIO, TFRecord (got 'Lines')"],
    [{ batchStrategy: 'Multi' }, "batchStrategy: must be one of SingleRecord, MultiRecord (got 'Multi')"],
    [{ dataProcessing: { joinSource: 'Output' } }, "dataProcessing.joinSource: must be one of None, Input (got 'Output')"],
    [{ errorPolicy: { mode: 'skip' } }, "errorPolicy.mode: must be one of fail-object, placeholder (got 'skip')"],
    [{ dataCaptureConfig: { generateInferenceId: true } }, 'dataCaptureConfig.destinationS3Uri: is required with DataCaptureConfig: where the captured data goes (s3://bucket/prefix or file:///dir)'],
    [{ dataCaptureConfig: { destinationS3Uri: 'https://bucket.s3.amazonaws.com/capture' } }, 'dataCaptureConfig.destinationS3Uri: must be s3://bucket/prefix or file:///absolute/path'],
    [{ dataCaptureConfig: { destinationS3Uri: `s3://bucket/${'k'.repeat(501)}` } }, 'dataCaptureConfig.destinationS3Uri: must be at most 512 characters'],
    [{ dataCaptureConfig: { destinationS3Uri: 's3://bucket/capture', generateInferenceId: 'yes' } }, 'dataCaptureConfig.generateInferenceId: must be true or false (got yes)'],
  ])('refuses %j', (request, message) => {
    expect(issues(request)).toEqual([message]);
  });

  it('accepts a DataCaptureConfig with an s3:// or file:// destination, and capture off by default', () => {
    expect(issues({ dataCaptureConfig: { destinationS3Uri: 's3://bucket/capture', kmsKeyId: 'alias/capture', generateInferenceId: true } })).toEqual([]);
    expect(issues({ dataCaptureConfig: { destinationS3Uri: 'file:///data/capture/' } })).toEqual([]);
    expect(ZTransformParamsSchema.parse({ dataCaptureConfig: { destinationS3Uri: 's3://b/c' } }).dataCaptureConfig).toEqual({ destinationS3Uri: 's3://b/c', generateInferenceId: false });
    expect(TRANSFORM_DEFAULTS.dataCaptureConfig).toBeUndefined();
  });

  it('accepts the limits themselves', () => {
    expect(issues({ maxPayloadInMB: 0, maxConcurrentTransforms: 0, modelClientConfig: { invocationsTimeoutInSeconds: 3600, invocationsMaxRetries: 0 }, errorPolicy: { maxRecordErrorRate: 0 } })).toEqual([]);
    expect(issues({ maxPayloadInMB: 100, maxConcurrentTransforms: 1, modelClientConfig: { invocationsTimeoutInSeconds: 1, invocationsMaxRetries: 3 } })).toEqual([]);
  });

  it('names the SageMaker field beside the path, and throws them all at once', () => {
    expect(checkTransformRequest({ modelClientConfig: { invocationsMaxRetries: 9 } }).issues).toEqual([
      { path: 'modelClientConfig.invocationsMaxRetries', field: 'ModelClientConfig.InvocationsMaxRetries', message: 'must be a whole number from 0 to 3 (got 9)' },
    ]);
    expect(() => parseTransformRequest({ maxPayloadInMB: 101, splitType: 'x' })).toThrow(
      new TransformParamsError([
        { path: 'splitType', field: 'SplitType', message: "must be one of None, Line, RecordIO, TFRecord (got 'x')" },
        { path: 'maxPayloadInMB', field: 'MaxPayloadInMB', message: 'must be a whole number from 0 to 100 (got 101)' },
      ]),
    );
  });
});

describe('cross-field rules', () => {
  it('caps MaxConcurrentTransforms × MaxPayloadInMB at 100, 0 concurrent meaning the model decides', () => {
    expect(issues({ splitType: 'Line', maxConcurrentTransforms: 4, maxPayloadInMB: 30 })).toEqual([
      'maxConcurrentTransforms: MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 (got 4 × 30 = 120)',
    ]);
    expect(issues({ maxConcurrentTransforms: 4, maxPayloadInMB: 25 })).toEqual([]);
    expect(issues({ maxConcurrentTransforms: 0, maxPayloadInMB: 100 })).toEqual([]);
  });

  it('needs a SplitType for a BatchStrategy', () => {
    expect(issues({ batchStrategy: 'MultiRecord' })).toEqual([
      'batchStrategy: needs SplitType Line, RecordIO or TFRecord: with SplitType None each object is one record; leave BatchStrategy unset or choose a SplitType',
    ]);
    expect(issues({ batchStrategy: 'MultiRecord', splitType: 'RecordIO' })).toEqual([]);
  });

  it('needs Accept equal to ContentType, and AssembleWith Line for Line input, with JoinSource Input', () => {
    expect(issues({ splitType: 'Line', contentType: 'text/csv', accept: 'application/json', dataProcessing: { joinSource: 'Input' } })).toEqual([
      "dataProcessing.joinSource: JoinSource Input needs Accept equal to ContentType (got Accept 'application/json', ContentType 'text/csv')",
      'dataProcessing.joinSource: JoinSource Input with SplitType Line needs AssembleWith Line',
    ]);
    expect(issues({ splitType: 'Line', assembleWith: 'Line', contentType: 'text/csv', accept: 'text/csv', dataProcessing: { joinSource: 'Input' } })).toEqual([]);
  });
});

describe('the table of fields', () => {
  it('has exactly one row for every parameter of the schema, so no way in can forget one', () => {
    const paths = TRANSFORM_FIELDS.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect([...paths].sort()).toEqual(schemaLeafPaths().sort());
  });

  it('spells every flag, SDK option and SageMaker name once', () => {
    for (const key of ['flag', 'label'] as const) {
      const values = TRANSFORM_FIELDS.map((f) => f[key]);
      expect(new Set(values).size, key).toBe(values.length);
    }
    const options = TRANSFORM_FIELDS.flatMap((f) => (f.sdk ? [f.sdk.option] : []));
    expect(new Set(options).size).toBe(options.length);
    const sageMaker = TRANSFORM_FIELDS.flatMap((f) => (f.sageMaker ? [f.sageMaker] : []));
    expect(new Set(sageMaker).size).toBe(sageMaker.length);
    // SageMaker's own parameters keep SageMaker's names; only Sluice's additions have none.
    for (const field of TRANSFORM_FIELDS) {
      if (field.sageMaker) expect(field.sageMaker.endsWith(fieldName(field.path).split('.').slice(-1)[0]!), field.path).toBe(true);
      else expect(field.path.startsWith('errorPolicy.'), field.path).toBe(true);
    }
  });

  it('gives every field something to show when it is left empty: the default, or what happens without one', () => {
    for (const field of TRANSFORM_FIELDS) expect(field.placeholder ?? defaultValue(field.path), field.path).toBeDefined();
  });

  it("reads each value's kind and range from the schema", () => {
    expect(valueKind('maxPayloadInMB')).toEqual({ kind: 'integer', min: 0, max: 100 });
    expect(valueKind('errorPolicy.maxRecordErrorRate')).toEqual({ kind: 'number', min: 0, max: 1 });
    expect(valueKind('splitType')).toEqual({ kind: 'choice', values: ['None', 'Line', 'RecordIO', 'TFRecord'] });
    expect(valueKind('dataProcessing.inputFilter')).toEqual({ kind: 'text', maxLength: 63 });
    expect(valueKind('dataCaptureConfig.generateInferenceId')).toEqual({ kind: 'boolean' });
  });

  it('writes ranges and defaults into help and hints from the schema', () => {
    const field = TRANSFORM_FIELDS.find((f) => f.path === 'maxPayloadInMB')!;
    expect(field.help).toBe("MaxPayloadInMB, 0-100 (default: the model's, else 6; 0 = no limit)");
    expect(field.hint).toBe('0 to 100; × max concurrent transforms ≤ 100.');
  });
});

describe('names and small helpers', () => {
  it('maps SageMaker field names to request paths and back', () => {
    expect(fieldPath('DataProcessing.JoinSource')).toEqual(['dataProcessing', 'joinSource']);
    expect(fieldName('modelClientConfig.invocationsMaxRetries')).toBe('ModelClientConfig.InvocationsMaxRetries');
  });

  it('formats sizes in binary units, one decimal below 10', () => {
    expect([26, 1024 * 1024, 1.5 * 1024, 16.4 * 1024 * 1024, 2.5 * 1024 ** 3].map(formatBytes)).toEqual(['26 B', '1.0 MiB', '1.5 KiB', '16 MiB', '2.5 GiB']);
  });

  it('drops undefined members only', () => {
    expect(dropUndefined({ a: 1, b: undefined, c: null, d: 0 })).toEqual({ a: 1, c: null, d: 0 });
  });
});
