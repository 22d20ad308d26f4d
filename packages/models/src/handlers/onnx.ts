import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import onnxProto from 'onnx-proto';
import { InferenceSession } from 'onnxruntime-node';
import { mediaType, type Handler } from '../handler.js';
import { numericRecords, type NumericRecords } from './numeric-records.js';
import { FEEDABLE_TYPES, inputTensor, type FeedableType, type OnnxInputSpec } from './onnx-input-tensor.js';
import { outputColumn, writeOnnxPrediction, type OnnxPrediction } from './onnx-output.js';
import { sharedHostSessionOptions } from './onnx-session-options.js';

/** A loaded ONNX model: one session for every invocation. */
export interface OnnxModel {
  session: InferenceSession;
  input: OnnxInputSpec;
  /** Every output, in graph order. */
  outputs: readonly string[];
  /** The class names of the model's metadata `labels`, when it has them. */
  labels: readonly string[] | undefined;
}

/**
 * Any ONNX model over numeric records, run by ONNX Runtime (onnxruntime-node), as a built-in
 * handler (`--builtin onnx --artifact file:///models/model.onnx`).
 *
 * The artifact is one `.onnx` file, or a directory (a .tar.gz unpacked) holding exactly one. The
 * model has one tensor input (float32, float64, int32 or int64) whose first dimension is the batch.
 *
 * In: `text/csv` (the default: one record per row of numbers, no header), `application/jsonlines`
 * (one record per line, `{"inputs": [...]}`, flat or nested) or `application/json`
 * (`{"inputs": [record, ...]}`). A mini-batch's records are stacked along the first dimension:
 * `[records, ...]`, a flat record reshaped to the input's fixed shape.
 *
 * Out, per record, every output in graph order: `text/csv` (the default for a CSV request) one row
 * of each output's values for the record, flattened; `application/jsonlines` (the default
 * otherwise) one `{"<output>": value, ...}`; `application/json` an array of those. float32 values
 * are written as the shortest decimal that reads back the same (0.97).
 *
 * Class names: when the model's metadata_props hold `labels` (comma-separated) and an output named
 * `label` holds integers, the names replace the class indexes: a classifier exporting `label` [N]
 * and `probabilities` [N,3] with labels `Adelie,Chinstrap,Gentoo` answers `Adelie,0.97,0.02,0.01`.
 */
export async function loadOnnxModel(modelDir: string | undefined): Promise<OnnxModel> {
  if (modelDir === undefined) {
    throw new Error('the onnx handler needs a model artifact: register the model with --artifact file:///path/model.onnx (or a .tar.gz holding one .onnx file)');
  }
  const path = await onnxFileIn(modelDir);
  // From the path, not the bytes: a model whose weights lie in external data files finds them beside it.
  const session = await InferenceSession.create(path, sharedHostSessionOptions());
  try {
    return { session, input: feedableInput(session, path), outputs: session.outputNames, labels: metadataLabels(await readFile(path)) };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** The one tensor input the handler feeds, after checking the model is one it can answer for. */
function feedableInput(session: InferenceSession, path: string): OnnxInputSpec {
  const [input, ...others] = session.inputMetadata;
  if (input === undefined || others.length > 0) {
    throw new Error(`${path} has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}): the onnx handler feeds a model with exactly one`);
  }
  if (!input.isTensor || !(FEEDABLE_TYPES as readonly string[]).includes(input.type)) {
    throw new Error(`${path}: the input '${input.name}' is ${input.isTensor ? `a ${input.type} tensor` : 'not a tensor'}; the onnx handler feeds ${FEEDABLE_TYPES.join(', ')} tensors`);
  }
  const notTensors = session.outputMetadata.filter((o) => !o.isTensor).map((o) => o.name);
  if (notTensors.length > 0) {
    throw new Error(
      `${path}: the outputs ${notTensors.join(', ')} are not tensors (sequences or maps, such as skl2onnx's ZipMap): the onnx handler answers tensors; export the model without them (skl2onnx: options={'zipmap': False})`,
    );
  }
  return { name: input.name, type: input.type as FeedableType, shape: input.shape };
}

/** The model file: the artifact itself, or the one `.onnx` file under its directory. */
async function onnxFileIn(modelDir: string): Promise<string> {
  const info = await stat(modelDir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`the model artifact ${modelDir} cannot be read: ${error.code ?? error.message}`);
  });
  if (info.isFile()) {
    if (!modelDir.endsWith('.onnx')) throw new Error(`the model artifact ${modelDir} is not a .onnx file`);
    return modelDir;
  }
  const entries = (await readdir(modelDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const names = entries.map((e) => relative(modelDir, join(e.parentPath, e.name))).sort();
  const models = names.filter((name) => name.endsWith('.onnx'));
  if (models.length === 1) return join(modelDir, models[0]!);
  const listed = (list: string[]) => (list.length > 10 ? `${list.slice(0, 10).join(', ')} and ${list.length - 10} more` : list.join(', '));
  if (models.length === 0) {
    throw new Error(`no .onnx file in the model artifact (${names.length === 0 ? 'it is empty' : `found ${listed(names)}`}): the onnx handler needs one .onnx file`);
  }
  throw new Error(`${models.length} .onnx files in the model artifact (${listed(models)}): the onnx handler serves one model; give an artifact with a single .onnx file`);
}

/**
 * The class names in the model's metadata_props `labels`. ONNX Runtime's JavaScript API does not
 * expose metadata_props, so the ModelProto is decoded here (once, at load) with onnx-proto.
 */
function metadataLabels(bytes: Uint8Array): string[] | undefined {
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  const value = model.metadataProps.find((p) => p.key === 'labels')?.value;
  if (!value) return undefined;
  return value.split(',').map((label) => label.trim());
}

export async function predictOnnx(records: NumericRecords, model: OnnxModel): Promise<OnnxPrediction> {
  if (records.count === 0) return { format: records.format, count: 0, outputs: [] };
  const results = await model.session.run({ [model.input.name]: inputTensor(records, model.input) });
  return {
    format: records.format,
    count: records.count,
    outputs: model.outputs.map((name) => outputColumn(name, results[name]!, records.count, model.labels)),
  };
}

const onnx: Handler<OnnxModel, NumericRecords, OnnxPrediction> = {
  modelFn: loadOnnxModel,
  inputFn: numericRecords,
  predictFn: predictOnnx,
  outputFn: writeOnnxPrediction,
  // As writeOnnxPrediction answers without an Accept: CSV for CSV, JSON Lines otherwise.
  defaultAccept: (contentType) => (mediaType(contentType) === 'text/csv' ? 'text/csv' : 'application/jsonlines'),
};

export default onnx;
