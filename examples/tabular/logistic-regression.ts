// Multinomial logistic regression trained by full-batch gradient descent: small enough to read
// whole, deterministic (zero initial weights, no sampling), and exactly what the exported ONNX
// graph computes, so the two can be compared record by record.

export interface LogisticRegression {
  /** Per-feature mean and standard deviation of the training rows: x is standardized as (x - mean) / std. */
  mean: number[];
  std: number[];
  /** weights[feature][class], on standardized features. */
  weights: number[][];
  /** bias[class]. */
  bias: number[];
}

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights; keeps them finite on separable classes (Gentoo is). */
  l2: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 400, learningRate: 0.5, l2: 1e-3 };

/**
 * Fits the model to rows `x` (one array of features each) with class indexes `y` in [0, classes).
 * Minimizes the mean softmax cross-entropy plus l2/2·|W|² by plain gradient descent.
 */
export function trainLogisticRegression(x: readonly (readonly number[])[], y: readonly number[], classes: number, options: TrainingOptions = DEFAULT_TRAINING): LogisticRegression {
  if (x.length === 0) throw new Error('trainLogisticRegression: no training rows');
  if (x.length !== y.length) throw new Error(`trainLogisticRegression: ${x.length} rows but ${y.length} labels`);
  const features = x[0]!.length;
  const mean = Array.from({ length: features }, (_, j) => x.reduce((s, row) => s + row[j]!, 0) / x.length);
  const std = mean.map((m, j) => Math.sqrt(x.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / x.length) || 1);
  const z = x.map((row) => row.map((v, j) => (v - mean[j]!) / std[j]!));

  const weights = Array.from({ length: features }, () => new Array<number>(classes).fill(0));
  const bias = new Array<number>(classes).fill(0);
  const n = z.length;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const gradW = Array.from({ length: features }, () => new Array<number>(classes).fill(0));
    const gradB = new Array<number>(classes).fill(0);
    for (let i = 0; i < n; i++) {
      const p = softmax(logits(z[i]!, weights, bias));
      for (let k = 0; k < classes; k++) {
        const error = p[k]! - (y[i] === k ? 1 : 0);
        gradB[k]! += error / n;
        for (let j = 0; j < features; j++) gradW[j]![k]! += (error * z[i]![j]!) / n;
      }
    }
    for (let k = 0; k < classes; k++) {
      bias[k]! -= options.learningRate * gradB[k]!;
      for (let j = 0; j < features; j++) weights[j]![k]! -= options.learningRate * (gradW[j]![k]! + options.l2 * weights[j]![k]!);
    }
  }
  return { mean, std, weights, bias };
}

/** Class probabilities for one row of raw (unstandardized) features. */
export function predictProbabilities(model: LogisticRegression, row: readonly number[]): number[] {
  return softmax(logits(row.map((v, j) => (v - model.mean[j]!) / model.std[j]!), model.weights, model.bias));
}

/** The index of the largest probability (the first on a tie, as ONNX ArgMax). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

function logits(z: readonly number[], weights: readonly (readonly number[])[], bias: readonly number[]): number[] {
  return bias.map((b, k) => z.reduce((s, v, j) => s + v * weights[j]![k]!, b));
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((s, v) => s + v, 0);
  return exps.map((v) => v / sum);
}
