// The demo's tabular model: a softmax classifier of penguin species from four body measurements,
// trained here in TypeScript and exported to ONNX for the `onnx` built-in handler.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { argmax, predictProbabilities, trainLogisticRegression, type LogisticRegression } from './logistic-regression.js';
import { exportLogisticRegression } from './onnx-export.js';
import { loadPenguins, splitPenguins, SPECIES, type Penguin } from './penguins.js';

export interface TrainedPenguinClassifier {
  model: LogisticRegression;
  /** The .onnx file's bytes. */
  onnx: Uint8Array;
  train: Penguin[];
  heldOut: Penguin[];
  /** Share of the held-out penguins whose species the model predicts. */
  heldOutAccuracy: number;
  trainAccuracy: number;
}

/** The file name the model is written under; the `onnx` handler loads the one .onnx file of its artifact. */
export const PENGUIN_MODEL_FILE = 'penguins-logreg.onnx';

export async function trainPenguinClassifier(): Promise<TrainedPenguinClassifier> {
  const { train, heldOut } = splitPenguins(await loadPenguins());
  const model = trainLogisticRegression(
    train.map((p) => p.features),
    train.map((p) => SPECIES.indexOf(p.species)),
    SPECIES.length,
  );
  const accuracy = (rows: Penguin[]) => rows.filter((p) => SPECIES[argmax(predictProbabilities(model, p.features))] === p.species).length / rows.length;
  const onnx = exportLogisticRegression(model, {
    labels: SPECIES,
    description: `Penguin species from bill length, bill depth, flipper length (mm) and body mass (g); multinomial logistic regression trained on ${train.length} penguins of vega-datasets by Sluice's examples/tabular.`,
  });
  return { model, onnx, train, heldOut, heldOutAccuracy: accuracy(heldOut), trainAccuracy: accuracy(train) };
}

/** Writes the model into `dir` and returns the file's path. */
export async function writePenguinModel(trained: TrainedPenguinClassifier, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, PENGUIN_MODEL_FILE);
  await writeFile(file, trained.onnx);
  return file;
}
