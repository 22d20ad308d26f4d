import type { EngineObserver } from '../../observer.js';
import { resolveTransformParams, type TransformRequest } from '../../params.js';
import { createSplitter } from '../../split/index.js';
import { ErrorPolicy } from '../error-policy.js';
import { MiniBatchPacker, type InvokeBatch, type MiniBatch } from '../mini-batch.js';
import { ObjectTally } from '../object-run.js';
import { outputShape } from '../response.js';

/** The mini-batches of a Line text, as a task makes them (MultiRecord up to `maxBytes`, or SingleRecord). */
export function lineBatches(text: string, options: { maxBytes?: number; strategy?: 'SingleRecord' | 'MultiRecord' } = {}): MiniBatch[] {
  const splitter = createSplitter('Line');
  const strategy = options.strategy ?? 'MultiRecord';
  const packer = new MiniBatchPacker({ strategy, maxBytes: options.maxBytes ?? 1024 * 1024, bareRecord: (f) => (strategy === 'SingleRecord' ? stripLf(f) : f) });
  const blocks = [...splitter.push(Buffer.from(text)), ...splitter.end()];
  return [...blocks.flatMap((b) => packer.add(b)), ...packer.flush()];
}

/** The one invoke batch of a short Line text. */
export function oneBatch(text: string): InvokeBatch {
  const [batch] = lineBatches(text);
  if (batch?.kind !== 'invoke') throw new Error('expected one invoke batch');
  return batch;
}

/** A Line job's error policy and the tally it counts into. */
export function linePolicy(errorPolicy: TransformRequest['errorPolicy'], observer: EngineObserver = {}) {
  const params = resolveTransformParams({ splitType: 'Line', assembleWith: 'Line', errorPolicy });
  const shape = outputShape(params, undefined);
  const tally = new ObjectTally(observer);
  return { params, shape, tally, policy: new ErrorPolicy(params.errorPolicy, shape, tally) };
}

function stripLf(framed: Buffer): Buffer {
  return framed[framed.length - 1] === 0x0a ? framed.subarray(0, framed.length - 1) : framed;
}
