import { type JsonValue, JsonSyntaxError, jsonString, parseJson, serializeJson } from './json-value.js';
import type { JsonPath } from './jsonpath.js';
import { preview } from './preview.js';
import { RecordProcessingError } from './record-processor.js';

/**
 * DataProcessing on JSON and JSON Lines records. A record is one JSON text; what a filter selects
 * is written back as compact JSON, its numbers and strings byte for byte (see json-value.ts).
 */

/** SageMaker's reserved keys for the join. */
export const OUTPUT_KEY = 'SageMakerOutput';
export const INPUT_KEY = 'SageMakerInput';

/** The part of each record (or prediction, with JoinSource None) that `filter` selects. */
export function selectJson(filter: JsonPath, what: 'record' | 'prediction'): (bytes: Buffer) => Buffer {
  return (bytes) => {
    const value = parseStrict(bytes, filter.label, what);
    return Buffer.from(serializeJson(evaluate(filter, value, () => `${what}: ${preview(bytes)}`)));
  };
}

/**
 * JoinSource Input for JSON: an object record gets the prediction under `SageMakerOutput` (an
 * existing key of that name is overwritten in place, as SageMaker warns); any other record becomes
 * `{"SageMakerInput": record, "SageMakerOutput": prediction}`. The prediction joins as JSON when
 * it parses and as a JSON string otherwise, so a model answering `positive` still joins. Then
 * `outputFilter` selects from the joined record.
 */
export function joinJson(outputFilter: JsonPath): (input: Buffer, prediction: Buffer) => Buffer {
  return (inputBytes, predictionBytes) => {
    const input = parseStrict(inputBytes, 'JoinSource', 'record');
    const predictionText = predictionBytes.toString('utf8');
    let prediction: JsonValue;
    try {
      prediction = parseJson(predictionText);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      prediction = jsonString(predictionText);
    }
    let joined: JsonValue;
    if (input instanceof Map) {
      input.set(OUTPUT_KEY, prediction);
      joined = input;
    } else {
      joined = new Map([
        [INPUT_KEY, input],
        [OUTPUT_KEY, prediction],
      ]);
    }
    const context = () => `record: ${preview(inputBytes)}; prediction: ${preview(predictionBytes)}`;
    return Buffer.from(serializeJson(outputFilter.isRoot ? joined : evaluate(outputFilter, joined, context)));
  };
}

function parseStrict(bytes: Buffer, step: string, what: 'record' | 'prediction'): JsonValue {
  try {
    return parseJson(bytes.toString('utf8'));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const hint = what === 'prediction' ? '; the filter needs the model to answer JSON for each record' : '';
    throw new RecordProcessingError(`${step}: the ${what} is not valid JSON: ${error.message}${hint} (${what}: ${preview(bytes)})`);
  }
}

/** `filter` applied, with the record's first bytes added to any error: which record failed matters. */
function evaluate(filter: JsonPath, value: JsonValue, context: () => string): JsonValue {
  try {
    return filter.evaluate(value);
  } catch (error) {
    if (error instanceof RecordProcessingError) throw new RecordProcessingError(`${error.message} (${context()})`);
    throw error;
  }
}
