import { describe, expect, it } from 'vitest';
import { resolveTransformParams, type TransformRequest } from '../params.js';
import { inferenceIdIssues, inferenceIdStamper, inferenceTime, InferenceIdStamper } from './inference-id.js';

const START = new Date('2022-08-30T00:49:15.678Z');
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const capture = { destinationS3Uri: 's3://bucket/capture', generateInferenceId: true };

const csv = new InferenceIdStamper('csv', START);
const json = new InferenceIdStamper('json', START);
const text = (buffer: Buffer) => buffer.toString('utf8');

describe('inference ids as SageMaker appends them', () => {
  it('writes the inference time as the job start in UTC, to the second', () => {
    expect(inferenceTime(START)).toBe('2022-08-30T00:49:15Z');
  });

  it('appends the id and the time as the last two CSV columns', () => {
    expect(text(csv.stamp(Buffer.from('p020,37.7,Adelie')))).toMatch(new RegExp(`^p020,37\\.7,Adelie,${UUID},2022-08-30T00:49:15Z$`));
  });

  it('adds SageMakerInferenceId and SageMakerInferenceTime to a JSON object, and wraps anything else under SageMakerOutput', () => {
    const cases: Array<[string, unknown]> = [
      ['{"output": 0}', { output: 0 }],
      [' { "label" : "eng" }  ', { label: 'eng' }],
      ['{}', {}],
      ['{ }', {}],
      ['[0.2,0.8]', { SageMakerOutput: [0.2, 0.8] }],
      ['0.93', { SageMakerOutput: 0.93 }],
      ['"eng"', { SageMakerOutput: 'eng' }],
      ['', { SageMakerOutput: null }],
    ];
    for (const [record, fields] of cases) {
      const stamped = JSON.parse(text(json.stamp(Buffer.from(record)))) as Record<string, string>;
      expect(stamped, record).toEqual({ ...(fields as object), SageMakerInferenceId: expect.stringMatching(new RegExp(`^${UUID}$`)), SageMakerInferenceTime: '2022-08-30T00:49:15Z' });
    }
  });

  it('stamps every line of an answer in order, whatever its line ends, each ended by one newline', () => {
    const lines = text(json.stampLines(Buffer.from('{"a":1}\r\n{"a":2}\n{"a":3}'), 3)).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as { a: number }).a)).toEqual([1, 2, 3]);
    expect(text(csv.stampLines(Buffer.from('1\n2\n'), 2))).toMatch(new RegExp(`^1,${UUID},2022-08-30T00:49:15Z\n2,${UUID},2022-08-30T00:49:15Z\n$`));
  });

  it('gives every record an id of its own', () => {
    const body = Buffer.from('x\n'.repeat(50_000));
    const ids = text(csv.stampLines(body, 50_000))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(',')[1]);
    expect(ids).toHaveLength(50_000);
    expect(new Set(ids).size).toBe(50_000);
  });
});

describe('which jobs can have inference ids', () => {
  const issues = (request: TransformRequest) => inferenceIdIssues(resolveTransformParams({ dataCaptureConfig: capture, ...request }));

  it('takes CSV and JSON outputs, read as Accept says, else as ContentType, and as ContentType when joined to the input', () => {
    expect(issues({ splitType: 'Line', assembleWith: 'Line', contentType: 'text/csv' })).toEqual([]);
    expect(issues({ splitType: 'Line', contentType: 'text/plain', accept: 'application/jsonlines' })).toEqual([]);
    expect(issues({ contentType: 'image/png', accept: 'application/json' })).toEqual([]);
    expect(inferenceIdStamper(resolveTransformParams({ dataCaptureConfig: capture, contentType: 'text/csv', accept: 'text/csv', dataProcessing: { joinSource: 'Input' } }), START)?.format).toBe('csv');
  });

  it('refuses other outputs, naming the field to set', () => {
    expect(issues({ contentType: 'image/png' })).toEqual([
      {
        field: 'DataCaptureConfig.GenerateInferenceId',
        message:
          "appends an inference id to each output record, which SageMaker supports for CSV (text/csv) and JSON/JSON Lines (application/json, application/jsonlines) outputs: set ContentType to one of them (got 'image/png')",
      },
    ]);
    expect(issues({ contentType: 'text/csv', accept: 'text/plain' })[0]?.message).toMatch(/set Accept to one of them \(got 'text\/plain'\)$/);
    expect(issues({})[0]?.message).toMatch(/set ContentType to one of them \(got none\)$/);
  });

  it('needs one CSV row per record, and one answer per RecordIO or TFRecord record', () => {
    expect(issues({ splitType: 'Line', contentType: 'text/csv' })).toEqual([{ field: 'AssembleWith', message: 'GenerateInferenceId writes one CSV row per record: set AssembleWith Line (got None)' }]);
    expect(issues({ splitType: 'RecordIO', accept: 'application/jsonlines' })).toEqual([
      { field: 'BatchStrategy', message: 'GenerateInferenceId gives each record its own id, and a MultiRecord answer for RecordIO records is one output for many: set BatchStrategy SingleRecord' },
    ]);
    expect(issues({ splitType: 'TFRecord', batchStrategy: 'SingleRecord', accept: 'application/jsonlines' })).toEqual([]);
  });

  it('costs nothing when off', () => {
    expect(inferenceIdStamper(resolveTransformParams({ splitType: 'Line', contentType: 'image/png' }), START)).toBeUndefined();
    expect(inferenceIdIssues(resolveTransformParams({ contentType: 'image/png', dataCaptureConfig: { destinationS3Uri: 's3://b/c' } }))).toEqual([]);
  });
});
