import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const INT = onnx.AttributeProto.AttributeType.INT;

/** An ONNX value's element type, by the name onnxruntime uses. */
export type ElementType = 'float32' | 'float64' | 'int64' | 'string';
const ELEMENT_TYPES: Record<ElementType, number> = { float32: DataType.FLOAT, float64: DataType.DOUBLE, int64: DataType.INT64, string: DataType.STRING };

export interface ValueSpec {
  name: string;
  type: ElementType;
  /** A number fixes a dimension; a string names a free one (the batch: 'N'). */
  shape: Array<number | string>;
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes (axis, keepdims, transB...). */
  ints?: Record<string, number>;
}

export interface GraphSpec {
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  /** float32 constants: name → values and dims. */
  initializers?: Record<string, { dims: number[]; values: number[] }>;
  metadata?: Record<string, string>;
}

/** A real ONNX model (IR 8, opset 13), serialized as onnx's ModelProto, for onnxruntime to load. */
export function onnxModel(spec: GraphSpec): Uint8Array {
  const valueInfo = (v: ValueSpec) =>
    onnx.ValueInfoProto.create({
      name: v.name,
      type: { tensorType: { elemType: ELEMENT_TYPES[v.type], shape: { dim: v.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
    });
  const graph = onnx.GraphProto.create({
    name: 'test-model',
    node: spec.nodes.map((n, i) =>
      onnx.NodeProto.create({
        name: `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.ints ?? {}).map(([name, value]) => onnx.AttributeProto.create({ name, type: INT, i: value })),
      }),
    ),
    initializer: Object.entries(spec.initializers ?? {}).map(([name, { dims, values }]) => onnx.TensorProto.create({ name, dataType: DataType.FLOAT, dims, floatData: values })),
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'sluice-tests',
    graph,
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** y = x·W + b: x float32 [N, features], W [features, outputs]; output `y` [N, outputs]. */
export function linearModel(weights: number[][], bias: number[]): Uint8Array {
  const features = weights.length;
  const outputs = bias.length;
  return onnxModel({
    inputs: [{ name: 'x', type: 'float32', shape: ['N', features] }],
    outputs: [{ name: 'y', type: 'float32', shape: ['N', outputs] }],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xW'] },
      { op: 'Add', inputs: ['xW', 'b'], outputs: ['y'] },
    ],
    initializers: { W: { dims: [features, outputs], values: weights.flat() }, b: { dims: [outputs], values: bias } },
  });
}

/**
 * A linear classifier shaped as the demo's tabular model: logits = Gemm(x, W, b); outputs
 * `label` = ArgMax(logits) int64 [N] and `probabilities` = Softmax(logits) float32 [N, classes];
 * metadata `labels` names the classes when given.
 */
export function classifierModel(weights: number[][], bias: number[], labels?: string[]): Uint8Array {
  const features = weights.length;
  const classes = bias.length;
  return onnxModel({
    inputs: [{ name: 'features', type: 'float32', shape: ['N', features] }],
    outputs: [
      { name: 'label', type: 'int64', shape: ['N'] },
      { name: 'probabilities', type: 'float32', shape: ['N', classes] },
    ],
    nodes: [
      { op: 'Gemm', inputs: ['features', 'W', 'b'], outputs: ['logits'] },
      { op: 'ArgMax', inputs: ['logits'], outputs: ['label'], ints: { axis: 1, keepdims: 0 } },
      { op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], ints: { axis: 1 } },
    ],
    initializers: { W: { dims: [features, classes], values: weights.flat() }, b: { dims: [classes], values: bias } },
    ...(labels ? { metadata: { labels: labels.join(',') } } : {}),
  });
}

export async function writeModel(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}
