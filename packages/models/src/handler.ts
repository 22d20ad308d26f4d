import type { ExecutionParameters } from '@sluice/engine';

/**
 * A model written as one module, with the hooks of SageMaker's inference toolkit
 * (sagemaker-inference-toolkit's `model_fn`, `input_fn`, `predict_fn`, `output_fn`, camelCased).
 * Only `predictFn` is required. The module exports the hooks by name, or an object holding them
 * as its default export:
 *
 * ```ts
 * export async function modelFn(modelDir) { return loadWeights(`${modelDir}/weights.bin`); }
 * export function predictFn(texts, weights) { return texts.map((t) => score(weights, t)); }
 * ```
 *
 * Any hook may return a promise. `sluice-model-server --handler ./my-model.ts` serves it over the
 * container contract; a `builtin` model runs it inside the worker with no HTTP hop.
 */
export interface Handler<Model = unknown, Input = unknown, Prediction = unknown> {
  /**
   * Loads the model once, before the first invocation (SageMaker: `model_fn(model_dir)`).
   * `modelDir` is the unpacked artifact (SM_MODEL_DIR), or undefined when the model has none.
   * Default: undefined (a model with nothing to load).
   */
  modelFn?(modelDir: string | undefined): Model | Promise<Model>;
  /**
   * Decodes one invocation's body (one mini-batch) by its Content-Type. Default: `defaultInputFn`.
   */
  inputFn?(body: Buffer, contentType: string | undefined): Input | Promise<Input>;
  /** Runs the model over the decoded input. */
  predictFn(input: Input, model: Model): Prediction | Promise<Prediction>;
  /** Encodes the prediction for the Accept type. Default: `defaultOutputFn`. */
  outputFn?(prediction: Prediction, accept: string | undefined): Buffer | string | Promise<Buffer | string>;
  /**
   * The answer's media type for a request that names no Accept (or `*` `/` `*`), by the request's
   * Content-Type: what sluice-model-server sends as the response's Content-Type (the inference
   * toolkit's SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT). Default: `application/jsonlines`.
   */
  defaultAccept?(contentType: string | undefined): string;
  /** What the model answers at GET /execution-parameters; absent: nothing (the job's or Sluice's defaults apply). */
  executionParameters?: ExecutionParameters;
}

/** A bad request body: the server answers 400 (a model error would be 500). */
export class HandlerInputError extends Error {
  override readonly name = 'HandlerInputError';
}

/** The media type alone, lower-cased: `Text/Plain; charset=utf-8` → `text/plain`. */
export function mediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const type = header.split(';', 1)[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

const JSON_LINES_TYPES = new Set(['application/jsonlines', 'application/x-jsonlines', 'application/jsonl', 'application/json-lines']);

export function isJsonLines(type: string | undefined): boolean {
  return type !== undefined && JSON_LINES_TYPES.has(type);
}

/**
 * The lines of a body as strings, without '\n' or '\r\n', counted as the engine counts a
 * MultiRecord Line mini-batch: a last line without '\n' counts, an empty body has none. So a
 * handler that answers one line per element answers one line per input record.
 */
export function splitLines(body: Buffer | string): string[] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/**
 * The inference toolkit's decoding, by Content-Type:
 * - `application/json`: the parsed value;
 * - `application/jsonlines` (and its aliases): an array, one parsed value per line;
 * - `text/*` (`text/plain`, `text/csv`...): the body as a UTF-8 string;
 * - anything else, or no Content-Type: the body's bytes (a Buffer), for the handler to read.
 */
export function defaultInputFn(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json') return parseJson(body.toString('utf8'), 'the body');
  if (isJsonLines(type)) return splitLines(body).map((line, i) => parseJson(line, `line ${i + 1}`));
  if (type?.startsWith('text/')) return body.toString('utf8');
  return body;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HandlerInputError(`${where} is not JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/**
 * The inference toolkit's encoding, by Accept:
 * - a Buffer or a string prediction is the answer as it is, whatever the Accept;
 * - `application/json`: JSON of the whole prediction;
 * - `text/csv`: an array becomes one row per element (an array or object element gives its
 *   values, comma-separated and quoted where needed), anything else one row;
 * - `application/jsonlines`, no Accept, `*` `/` `*` and anything else: JSON Lines, one line per element
 *   of an array prediction (so a MultiRecord Line batch gets one line per record), one line otherwise.
 */
export function defaultOutputFn(prediction: unknown, accept: string | undefined): Buffer | string {
  if (Buffer.isBuffer(prediction) || typeof prediction === 'string') return prediction;
  const type = mediaType(accept);
  if (type === 'application/json') return `${JSON.stringify(prediction)}\n`;
  const rows = Array.isArray(prediction) ? prediction : [prediction];
  let out = '';
  if (type === 'text/csv') for (const row of rows) out += `${csvRow(row)}\n`;
  else for (const row of rows) out += `${JSON.stringify(row) ?? 'null'}\n`;
  return out;
}

function csvRow(row: unknown): string {
  const values = Array.isArray(row) ? row : row !== null && typeof row === 'object' ? Object.values(row) : [row];
  return values.map(csvField).join(',');
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
