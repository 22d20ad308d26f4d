import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { argmax, predictProbabilities } from './logistic-regression.js';
import { SPECIES } from './penguins.js';
import { trainPenguinClassifier, type TrainedPenguinClassifier } from './train-penguins.js';

let trained: TrainedPenguinClassifier;
let session: ort.InferenceSession;
beforeAll(async () => {
  trained = await trainPenguinClassifier();
  session = await ort.InferenceSession.create(trained.onnx, { intraOpNumThreads: 1 });
});

describe('the penguin classifier trained in TypeScript and exported to ONNX', () => {
  it('trains on two thirds of the 342 measured penguins and predicts at least 90% of the held-out third', () => {
    expect(trained.train).toHaveLength(228);
    expect(trained.heldOut).toHaveLength(114);
    expect(new Set([...trained.train, ...trained.heldOut].map((p) => p.id)).size).toBe(342);
    expect(trained.heldOutAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(trained.trainAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('answers, run by onnxruntime-node, the trainer\'s own probabilities (to 1e-5) and argmax on every penguin', async () => {
    const rows = [...trained.train, ...trained.heldOut];
    const features = new ort.Tensor('float32', Float32Array.from(rows.flatMap((p) => p.features)), [rows.length, 4]);
    const out = await session.run({ features });
    expect(out.probabilities!.dims).toEqual([rows.length, 3]);
    expect(out.label!.type).toBe('int64');
    expect(out.label!.dims).toEqual([rows.length]);
    const probabilities = out.probabilities!.data as Float32Array;
    const labels = out.label!.data as BigInt64Array;
    let worst = 0;
    rows.forEach((penguin, i) => {
      const expected = predictProbabilities(trained.model, penguin.features);
      for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(probabilities[i * 3 + k]! - expected[k]!));
      expect(Number(labels[i]), `label of ${penguin.id}`).toBe(argmax(expected));
    });
    expect(worst).toBeLessThan(1e-5);
    const right = trained.heldOut.filter((p, i) => SPECIES[Number(labels[trained.train.length + i])] === p.species).length;
    expect(right / trained.heldOut.length).toBeGreaterThanOrEqual(0.9);
  });

  it('declares label before probabilities, one float input of 4 features, and the class names as `labels` metadata', () => {
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['label', 'probabilities']);
    const model = onnxProto.onnx.ModelProto.decode(trained.onnx);
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([['labels', 'Adelie,Chinstrap,Gentoo']]);
    const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 4]);
  });

  it('gives the same bytes on every run: no randomness in training or export', async () => {
    const again = await trainPenguinClassifier();
    expect(Buffer.from(again.onnx).equals(Buffer.from(trained.onnx))).toBe(true);
  });
});
