import type { SageMakerIssue, TransformParams } from '@sluice/params';
import { inferenceIdIssues } from '../capture/inference-id.js';
import { csvPathProblem, joinCsv, selectCsvColumns } from './csv.js';
import { joinJson, selectJson } from './json.js';
import { type JsonPath, JsonPathSyntaxError, compileJsonPath } from './jsonpath.js';
import { recordFormat, type RecordFormat } from './record-format.js';
import type { RecordProcessor } from './record-processor.js';

/** What DataProcessing reads; the capture's GenerateInferenceId (checked here too: it rewrites the same records) also its strategy. */
export type DataProcessingParams = Pick<TransformParams, 'dataProcessing' | 'contentType' | 'accept' | 'splitType' | 'assembleWith'> &
  Partial<Pick<TransformParams, 'batchStrategy' | 'dataCaptureConfig'>>;

/**
 * DataProcessing that cannot run with this job's parameters; `issues` names each field to change,
 * in the same shape as TransformParamsError's.
 */
export class DataProcessingConfigError extends Error {
  override readonly name = 'DataProcessingConfigError';
  constructor(readonly issues: SageMakerIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

export { recordFormat, type RecordFormat } from './record-format.js';

/**
 * Every problem with the job's DataProcessing, and with GenerateInferenceId (which appends to the
 * records DataProcessing writes), by field, without throwing (a form shows them all).
 */
export function checkDataProcessing(params: DataProcessingParams): SageMakerIssue[] {
  return [...plan(params).issues, ...inferenceIdIssues(params)];
}

/**
 * The per-record work DataProcessing asks for, decided once per job; undefined when both filters
 * are `$` and JoinSource is None, so the pipeline skips per-record work entirely. Throws
 * DataProcessingConfigError listing every problem.
 */
export function compileDataProcessing(params: DataProcessingParams): RecordProcessor | undefined {
  const { issues, input, output, join, inputFormat, outputFormat } = plan(params);
  issues.push(...inferenceIdIssues(params));
  if (issues.length > 0) throw new DataProcessingConfigError(issues);
  if (!input || !output) throw new Error('DataProcessing: a filter failed to compile without an issue'); // plan() reports both
  if (input.isRoot && output.isRoot && !join) return undefined;

  const toModelInput = input.isRoot ? (record: Buffer) => record : (inputFormat === 'csv' ? selectCsvColumns : selectJson)(input, 'record');
  let toOutput: RecordProcessor['toOutput'];
  if (join) {
    toOutput = (inputFormat === 'csv' ? joinCsv : joinJson)(output);
  } else if (output.isRoot) {
    toOutput = (_input, prediction) => prediction;
  } else {
    const select = (outputFormat === 'csv' ? selectCsvColumns : selectJson)(output, 'prediction');
    toOutput = (_input, prediction) => select(prediction);
  }
  return { toModelInput, toOutput };
}

interface Plan {
  issues: SageMakerIssue[];
  input: JsonPath | undefined;
  output: JsonPath | undefined;
  join: boolean;
  inputFormat: RecordFormat | undefined;
  outputFormat: RecordFormat | undefined;
}

const SUPPORTED = 'DataProcessing supports only CSV (text/csv) and JSON/JSON Lines (application/json, application/jsonlines) content types';

function plan(params: DataProcessingParams): Plan {
  const issues: SageMakerIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field, message });
  const { inputFilter, outputFilter, joinSource } = params.dataProcessing;
  const join = joinSource === 'Input';
  const input = compileFilter(inputFilter, 'InputFilter', bad);
  const output = compileFilter(outputFilter, 'OutputFilter', bad);
  const filters = (expression: string) => expression !== '$' && expression !== '';

  // Only a side that has work to do needs a format: a job that filters nothing before the model
  // may send any content type.
  let contentFormat: RecordFormat | undefined;
  let contentChecked = false;
  const contentTypeFormat = () => {
    if (!contentChecked) contentFormat = formatOf('ContentType', params.contentType, bad);
    contentChecked = true;
    return contentFormat;
  };
  const inputFormat = join || filters(inputFilter) ? contentTypeFormat() : undefined;
  let outputFormat: RecordFormat | undefined;
  if (join) {
    const { accept, contentType } = params;
    if (accept !== undefined && contentType !== undefined && accept !== contentType) {
      bad('DataProcessing.JoinSource', `JoinSource Input writes the prediction into the input record, so Accept must equal ContentType (got Accept '${accept}', ContentType '${contentType}')`);
    }
    outputFormat = inputFormat;
  } else if (filters(outputFilter)) {
    // The prediction is read as Accept says; without Accept the model answers in ContentType.
    outputFormat = params.accept === undefined ? contentTypeFormat() : formatOf('Accept', params.accept, bad);
  }

  if (inputFormat === 'csv') {
    const problem = input && !input.isRoot ? csvPathProblem(input) : undefined;
    if (problem) bad('DataProcessing.InputFilter', problem);
    if (params.splitType !== 'Line') {
      bad('SplitType', `DataProcessing reads CSV row by row: set SplitType Line (got ${params.splitType})`);
    }
  }
  if (outputFormat === 'csv') {
    const problem = output && !output.isRoot ? csvPathProblem(output) : undefined;
    if (problem) bad('DataProcessing.OutputFilter', problem);
    if (params.splitType === 'Line' && params.assembleWith !== 'Line') {
      bad('AssembleWith', `DataProcessing writes one CSV row per record: set AssembleWith Line (got ${params.assembleWith})`);
    }
  }
  return { issues, input, output, join, inputFormat, outputFormat };
}

function compileFilter(expression: string, label: string, bad: (field: string, message: string) => void): JsonPath | undefined {
  try {
    return compileJsonPath(expression, label);
  } catch (error) {
    if (!(error instanceof JsonPathSyntaxError)) throw error;
    bad(`DataProcessing.${label}`, error.message);
    return undefined;
  }
}

function formatOf(field: string, mediaType: string | undefined, bad: (field: string, message: string) => void): RecordFormat | undefined {
  if (mediaType === undefined) {
    bad(field, `DataProcessing needs ${field} to know how to read records: set it to text/csv, application/json or application/jsonlines`);
    return undefined;
  }
  const format = recordFormat(mediaType);
  if (!format) bad(field, `${SUPPORTED}; got ${field} '${mediaType}'`);
  return format;
}
