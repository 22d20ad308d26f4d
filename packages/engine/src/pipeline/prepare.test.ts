import { describe, expect, it } from 'vitest';
import { DataProcessingConfigError } from '../filter/compile.js';
import { createInProcessTransport } from '../model/in-process-transport.js';
import type { ExecutionParameters, ModelTransport } from '../model/transport.js';
import { resolveTransformParams } from '../params.js';
import { prepareTransform } from './prepare.js';

/** A model that answers /execution-parameters with `answer`, counting how often it is asked. */
function modelWith(answer: ExecutionParameters | undefined): ModelTransport & { asked: number } {
  const transport = createInProcessTransport('params', (p) => p, answer);
  const counted = Object.assign(Object.create(transport) as ModelTransport, { asked: 0 });
  counted.executionParameters = async (signal) => {
    counted.asked++;
    return transport.executionParameters(signal);
  };
  return counted;
}

describe('prepareTransform', () => {
  it('takes what the job leaves unset from the model\'s /execution-parameters, the job\'s own choices first', async () => {
    const model = modelWith({ MaxConcurrentTransforms: 8, BatchStrategy: 'SINGLE_RECORD', MaxPayloadInMB: 2 });
    const { params, limiter } = await prepareTransform({ splitType: 'Line', maxPayloadInMB: 1 }, model);
    expect(params).toMatchObject({ maxConcurrentTransforms: 8, batchStrategy: 'SingleRecord', maxPayloadInMB: 1 });
    expect(limiter.capacity).toBe(8);
    expect(model.asked).toBe(1);
  });

  it('falls back to the defaults (1 concurrent, 6 MB, MultiRecord) when the model has no /execution-parameters', async () => {
    const { params, limiter } = await prepareTransform({ splitType: 'Line' }, modelWith(undefined));
    expect(params).toMatchObject({ maxConcurrentTransforms: 1, batchStrategy: 'MultiRecord', maxPayloadInMB: 6 });
    expect(limiter.capacity).toBe(1);
  });

  it('does not ask the model when the job sets everything, or when the parameters were already decided', async () => {
    const model = modelWith({ MaxConcurrentTransforms: 8 });
    await prepareTransform({ splitType: 'Line', maxConcurrentTransforms: 2, batchStrategy: 'MultiRecord', maxPayloadInMB: 1 }, model);
    const decided = resolveTransformParams({ splitType: 'Line' }, { MaxConcurrentTransforms: 4 });
    const prepared = await prepareTransform({ splitType: 'Line' }, model, { decided });
    expect(model.asked).toBe(0);
    expect(prepared.params).toBe(decided);
    expect(prepared.limiter.capacity).toBe(4);
  });

  it('compiles DataProcessing once, and has no processor when every filter is $', async () => {
    const model = modelWith(undefined);
    const filtered = await prepareTransform({ splitType: 'Line', contentType: 'text/csv', dataProcessing: { inputFilter: '$[1:]' } }, model);
    expect(filtered.processor?.toModelInput(Buffer.from('1,2,3')).toString()).toBe('2,3');
    expect((await prepareTransform({ splitType: 'Line' }, model)).processor).toBeUndefined();
  });

  it('refuses a filter that does not compile before any data is read', async () => {
    await expect(prepareTransform({ splitType: 'Line', dataProcessing: { inputFilter: '$..[' } }, modelWith(undefined))).rejects.toBeInstanceOf(DataProcessingConfigError);
  });
});
