import type { FieldIssue } from '@sluice/contracts';
import { compileDataProcessing, DataProcessingConfigError, RecordProcessingError } from '@sluice/engine';

/**
 * Reads a label out of one record: the output's predicted label (`labelPath`) or the input's true
 * one (`groundTruth`). A locator is either SageMaker's JSONPath subset (`$.label`,
 * `$.SageMakerOutput.label`, `$[0]`), read from a JSON record, or a CSV column (`_c3` or `3`,
 * 0-based). Both go through the engine's DataProcessing filters, so a locator means exactly what
 * the same expression means as an InputFilter.
 */
export interface LabelReader {
  /** The locator as given. */
  readonly locator: string;
  /** The label as text (a JSON string is unquoted); throws when the record has no such field/column. */
  read(record: Buffer): string;
}

/** `_c3` or `3`: a CSV column, 0-based. */
const CSV_COLUMN = /^(?:_c)?(\d{1,5})$/;

type LocatorField = 'labelPath' | 'groundTruth';

/** What is wrong with `locator`, or undefined when it can be read. */
export function labelLocatorIssue(locator: string | undefined, field: LocatorField): FieldIssue | undefined {
  if (locator === undefined) return undefined;
  try {
    compileLabelReader(locator, field);
    return undefined;
  } catch (error) {
    if (error instanceof LabelLocatorError) return { path: field, message: error.message };
    throw error;
  }
}

export class LabelLocatorError extends Error {
  override readonly name = 'LabelLocatorError';
}

/** Compiles a locator once per comparison; throws LabelLocatorError saying what to write instead. */
export function compileLabelReader(locator: string, field: LocatorField): LabelReader {
  const column = CSV_COLUMN.exec(locator);
  if (!column && !locator.startsWith('$')) {
    throw new LabelLocatorError(`'${locator}' is neither a JSONPath (starting with $, e.g. $.label) nor a CSV column (_c3 or 3, counted from 0)`);
  }
  const csv = column !== null;
  let processor;
  try {
    processor = compileDataProcessing({
      dataProcessing: { inputFilter: csv ? `$[${column[1]}]` : locator, outputFilter: '$', joinSource: 'None' },
      contentType: csv ? 'text/csv' : 'application/json',
      accept: undefined,
      splitType: 'Line',
      assembleWith: 'Line',
    });
  } catch (error) {
    if (!(error instanceof DataProcessingConfigError)) throw error;
    // The engine names its own parameter (InputFilter); here the user wrote labelPath or groundTruth.
    throw new LabelLocatorError(error.issues.map((i) => i.message.replace(/^InputFilter '[^']*'\s*:?\s*/, '')).join('; '));
  }
  const select = processor ? (record: Buffer) => processor.toModelInput(record) : (record: Buffer) => record;
  const decode = csv ? unquoteCsv : unquoteJson;
  return {
    locator,
    read: (record) => {
      try {
        return decode(select(record).toString('utf8'));
      } catch (error) {
        // The engine's messages name its own parameter (InputFilter); the user wrote this field.
        if (error instanceof RecordProcessingError) throw new RecordProcessingError(error.message.replace(/^InputFilter/, field));
        throw error;
      }
    },
  };
}

/** A JSON string's text without quotes and escapes; any other JSON value as written (`0.93`, `true`, `{"a":1}`). */
function unquoteJson(text: string): string {
  return text.charCodeAt(0) === 0x22 ? (JSON.parse(text) as string) : text;
}

/** A quoted CSV field's text (quotes removed, doubled quotes undone); an unquoted one as written. */
function unquoteCsv(text: string): string {
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).replace(/""/g, '"') : trimmed;
}

/** The label as a number when it is one (`0.93`, `-1e3`, ` 7 `); undefined for anything else. */
export function numericLabel(label: string): number | undefined {
  if (!NUMBER.test(label)) return undefined;
  const n = Number(label);
  return Number.isFinite(n) ? n : undefined;
}

const NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
