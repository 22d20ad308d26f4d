import { describe, expect, it } from 'vitest';
import { maxBatchBytes, needsExecutionParameters, resolveTransformParams } from './params.js';

describe('resolveTransformParams: the job, then the container, then the defaults', () => {
  const container = { MaxConcurrentTransforms: 8, BatchStrategy: 'SINGLE_RECORD', MaxPayloadInMB: 2 } as const;

  it("takes SageMaker's defaults when neither the job nor the container decides", () => {
    expect(resolveTransformParams({ splitType: 'Line' })).toMatchObject({
      splitType: 'Line',
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 6,
      maxConcurrentTransforms: 1,
      modelClientConfig: { invocationsTimeoutInSeconds: 600, invocationsMaxRetries: 3 },
      errorPolicy: { mode: 'fail-object', placeholder: 'ERROR', maxRecordErrorRate: 1 },
    });
  });

  it("takes the container's answer over the defaults, and the job's over both", () => {
    expect(resolveTransformParams({ splitType: 'Line' }, container)).toMatchObject({ batchStrategy: 'SingleRecord', maxPayloadInMB: 2, maxConcurrentTransforms: 8 });
    expect(resolveTransformParams({ splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: 5, maxConcurrentTransforms: 3 }, container)).toMatchObject({
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 5,
      maxConcurrentTransforms: 3,
    });
  });

  it('lets the container decide when the job asks for 0 concurrent transforms, and sends whole objects one by one with SplitType None', () => {
    expect(resolveTransformParams({ maxConcurrentTransforms: 0 }, container)).toMatchObject({ maxConcurrentTransforms: 8, batchStrategy: 'SingleRecord', splitType: 'None' });
  });

  it('keeps partial nested parameters and fills the rest', () => {
    expect(resolveTransformParams({ splitType: 'Line', dataProcessing: { joinSource: 'Input' }, errorPolicy: { mode: 'placeholder' } })).toMatchObject({
      dataProcessing: { inputFilter: '$', outputFilter: '$', joinSource: 'Input' },
      errorPolicy: { mode: 'placeholder', placeholder: 'ERROR', maxRecordErrorRate: 1 },
    });
  });

  it('asks the container only when the job leaves something to it', () => {
    expect(needsExecutionParameters({ maxConcurrentTransforms: 2, maxPayloadInMB: 6 })).toBe(false);
    expect(needsExecutionParameters({ maxConcurrentTransforms: 2, maxPayloadInMB: 6, splitType: 'Line' })).toBe(true);
    expect(needsExecutionParameters({ maxPayloadInMB: 6 })).toBe(true);
  });

  it("reads MaxPayloadInMB 0 as SageMaker's 100 MB ceiling", () => {
    expect(maxBatchBytes(resolveTransformParams({ maxPayloadInMB: 0 }))).toBe(100 * 1024 * 1024);
    expect(maxBatchBytes(resolveTransformParams({ maxPayloadInMB: 3 }))).toBe(3 * 1024 * 1024);
  });
});
