import { describe, expect, it } from 'vitest';
import type { JobView } from '@sluice/contracts';
import { optionForField, settingsFromJob, toCreateJob, type TransformerSettings, type TransformInput } from './transformer-request.js';

const settings: TransformerSettings = {
  modelName: 'scorer',
  strategy: 'MultiRecord',
  assembleWith: 'Line',
  accept: 'text/csv',
  maxConcurrentTransforms: 2,
  maxPayload: 6,
  outputKmsKey: 'key-1',
  outputPath: 'file:///data/out/',
};
const input: TransformInput = {
  data: 'file:///data/in/',
  contentType: 'text/csv',
  splitType: 'Line',
  compressionType: 'Gzip',
  inputFilter: '$[1:]',
  outputFilter: '$[0,-1]',
  joinSource: 'Input',
  modelClientConfig: { invocationsTimeoutInSeconds: 30, invocationsMaxRetries: 1 },
  batchDataCaptureConfig: { destinationS3Uri: 's3://bucket/capture', kmsKeyId: 'key-2', generateInferenceId: true },
};
const transform = {
  contentType: 'text/csv',
  accept: 'text/csv',
  splitType: 'Line',
  compressionType: 'Gzip',
  batchStrategy: 'MultiRecord',
  maxPayloadInMB: 6,
  maxConcurrentTransforms: 2,
  assembleWith: 'Line',
  dataProcessing: { inputFilter: '$[1:]', outputFilter: '$[0,-1]', joinSource: 'Input' },
  modelClientConfig: { invocationsTimeoutInSeconds: 30, invocationsMaxRetries: 1 },
  kmsKeyId: 'key-1',
  dataCaptureConfig: { destinationS3Uri: 's3://bucket/capture', kmsKeyId: 'key-2', generateInferenceId: true },
};

describe("the Transformer's options and the job request", () => {
  it('puts every option on the transform parameter it sets, and leaves unset ones out', () => {
    expect(toCreateJob(settings, input, 'scorer-1').transform).toEqual(transform);
    expect(toCreateJob({ modelName: 'scorer' }, { data: 'file:///data/in/' }, 'scorer-2')).toEqual({
      name: 'scorer-2',
      modelName: 'scorer',
      input: { uri: 'file:///data/in/' },
      output: { uri: '' },
      transform: {},
    });
  });

  it("gives back the constructor's settings of a job", () => {
    const job = { modelName: 'scorer', instanceCount: 1, instanceType: 'default', output: { uri: 'file:///data/out/' }, tags: [], environment: {}, transform } as unknown as JobView;
    expect(settingsFromJob(job)).toEqual({ ...settings, instanceCount: 1, instanceType: 'default', tags: [] });
  });

  it('names the option behind a field the service complains about', () => {
    expect(optionForField('transform.maxPayloadInMB')).toBe('maxPayload');
    expect(optionForField('transform.dataProcessing.joinSource')).toBe('joinSource');
    expect(optionForField('transform.modelClientConfig.invocationsMaxRetries')).toBe('modelClientConfig.invocationsMaxRetries');
    expect(optionForField('output.uri')).toBe('outputPath');
    expect(optionForField('transform.dataCaptureConfig.destinationS3Uri')).toBe('batchDataCaptureConfig.destinationS3Uri');
    expect(optionForField('transform.errorPolicy.mode')).toBeUndefined();
  });
});
