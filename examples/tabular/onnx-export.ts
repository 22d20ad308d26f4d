// A trained LogisticRegression as an ONNX model, built node by node with onnx-proto (the ONNX
// protobuf schema compiled for protobufjs): no Python, no converter.
//
//   features float32 [N, F] ─ Sub(mean) ─ Div(std) ─ Gemm(W, b) ─ Softmax ─► probabilities float32 [N, K]
//                                                                        └─ ArgMax(axis 1) ─► label int64 [N]
//
// `label` is the first graph output: the `onnx` built-in handler answers a CSV row with every
// output's values in graph order, and maps an integer output named `label` through the model's
// `labels` metadata, so a row comes back as `Adelie,0.97,0.02,0.01`.
import onnxProto from 'onnx-proto';
import type { LogisticRegression } from './logistic-regression.js';

const { onnx } = onnxProto;

/** ONNX opset 13: Softmax over the last axis and ArgMax with keepdims, as every runtime since 2020 reads them. */
export const OPSET = 13;

export interface OnnxExportOptions {
  /** The class names, in output order: written as the `labels` metadata property. */
  labels: readonly string[];
  /** Free text about the model, kept in the file's doc_string. */
  description?: string;
}

/** The model as the bytes of a .onnx file. */
export function exportLogisticRegression(model: LogisticRegression, options: OnnxExportOptions): Uint8Array {
  const features = model.mean.length;
  const classes = model.bias.length;
  if (options.labels.length !== classes) throw new Error(`exportLogisticRegression: ${options.labels.length} labels for ${classes} classes`);
  if (options.labels.some((label) => label.includes(','))) throw new Error('exportLogisticRegression: a label holds a comma; the labels metadata is comma-separated');

  const graph = onnx.GraphProto.create({
    name: 'logistic_regression',
    input: [tensorValue('features', onnx.TensorProto.DataType.FLOAT, ['N', features])],
    output: [tensorValue('label', onnx.TensorProto.DataType.INT64, ['N']), tensorValue('probabilities', onnx.TensorProto.DataType.FLOAT, ['N', classes])],
    initializer: [
      floatTensor('mean', [features], model.mean),
      floatTensor('std', [features], model.std),
      floatTensor('weights', [features, classes], model.weights.flat()),
      floatTensor('bias', [classes], model.bias),
    ],
    node: [
      node('Sub', ['features', 'mean'], ['centered']),
      node('Div', ['centered', 'std'], ['standardized']),
      node('Gemm', ['standardized', 'weights', 'bias'], ['logits']),
      node('Softmax', ['logits'], ['probabilities'], [intAttribute('axis', 1)]),
      node('ArgMax', ['probabilities'], ['label'], [intAttribute('axis', 1), intAttribute('keepdims', 0)]),
    ],
  });
  const proto = onnx.ModelProto.create({
    irVersion: onnx.Version.IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET })],
    producerName: 'sluice-examples',
    producerVersion: '0.1.0',
    docString: options.description ?? '',
    graph,
    metadataProps: [onnx.StringStringEntryProto.create({ key: 'labels', value: options.labels.join(',') })],
  });
  const error = onnx.ModelProto.verify(proto);
  if (error) throw new Error(`exportLogisticRegression: the ONNX model does not verify: ${error}`);
  return onnx.ModelProto.encode(proto).finish();
}

function tensorValue(name: string, elemType: number, dims: Array<string | number>) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        }),
      }),
    }),
  });
}

function floatTensor(name: string, dims: number[], values: readonly number[]) {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: [...values] });
}

function node(opType: string, input: string[], output: string[], attribute: ReturnType<typeof intAttribute>[] = []) {
  return onnx.NodeProto.create({ opType, input, output, attribute, name: output[0]! });
}

function intAttribute(name: string, value: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}
