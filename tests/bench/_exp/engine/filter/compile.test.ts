import { describe, expect, it } from 'vitest';
import type { JoinSource } from '../params.js';
import { type DataProcessingParams, DataProcessingConfigError, checkDataProcessing, compileDataProcessing, recordFormat } from './compile.js';
import type { RecordProcessor } from './record-processor.js';

type Overrides = Partial<Omit<DataProcessingParams, 'dataProcessing'>> & {
  inputFilter?: string;
  outputFilter?: string;
  joinSource?: JoinSource;
};

function params({ inputFilter = '$', outputFilter = '$', joinSource = 'None', ...rest }: Overrides): DataProcessingParams {
  return { contentType: 'text/csv', accept: undefined, splitType: 'Line', assembleWith: 'Line', ...rest, dataProcessing: { inputFilter, outputFilter, joinSource } };
}

function compile(overrides: Overrides): RecordProcessor {
  const processor = compileDataProcessing(params(overrides));
  if (!processor) throw new Error('expected a RecordProcessor');
  return processor;
}

/** What the model receives for `record`, and what is written when it answers `prediction`. */
function run(processor: RecordProcessor, record: string, prediction: string): { modelInput: string; output: string } {
  return {
    modelInput: processor.toModelInput(Buffer.from(record)).toString(),
    output: processor.toOutput(Buffer.from(record), Buffer.from(prediction)).toString(),
  };
}

describe("compileDataProcessing: the AWS guide's examples", () => {
  it('Output Only Inferences: $, None, $ needs no per-record work at all', () => {
    expect(compileDataProcessing(params({ inputFilter: '$', joinSource: 'None', outputFilter: '$' }))).toBeUndefined();
    expect(compileDataProcessing(params({ contentType: 'application/x-image' }))).toBeUndefined();
  });

  it('Output Input Data and Inferences (JSON): {"key":1} with {"label":1}', () => {
    const processor = compile({ contentType: 'application/jsonlines', joinSource: 'Input' });
    expect(run(processor, '{"key":1}', '{"label":1}')).toEqual({ modelInput: '{"key":1}', output: '{"key":1,"SageMakerOutput":{"label":1}}' });
  });

  it('Output Input Data and Inferences (JSON): a record that is not an object is wrapped', () => {
    const processor = compile({ contentType: 'application/json', joinSource: 'Input' });
    expect(run(processor, '[1,2,3]', '[1]').output).toBe('{"SageMakerInput":[1,2,3],"SageMakerOutput":[1]}');
  });

  it('Output Input Data and Inferences (CSV): record 1,2,3 with label 1 gives 1,2,3,1', () => {
    expect(run(compile({ joinSource: 'Input' }), '1,2,3', '1')).toEqual({ modelInput: '1,2,3', output: '1,2,3,1' });
  });

  it('Output an ID Column with Results and Exclude it from the Input (CSV): $[1:], Input, $', () => {
    const processor = compile({ inputFilter: '$[1:]', joinSource: 'Input', outputFilter: '$' });
    expect(run(processor, 'id-1,5.1,3.5,1.4,0.2', '0.93')).toEqual({ modelInput: '5.1,3.5,1.4,0.2', output: 'id-1,5.1,3.5,1.4,0.2,0.93' });
  });

  it('the same with OutputFilter $[0,-1] keeps only the ID and the prediction', () => {
    const processor = compile({ inputFilter: '$[1:]', joinSource: 'Input', outputFilter: '$[0,-1]' });
    expect(run(processor, 'id-1,5.1,3.5,1.4,0.2', '0.93')).toEqual({ modelInput: '5.1,3.5,1.4,0.2', output: 'id-1,0.93' });
  });

  it("Output an ID Attribute with Results and Exclude it from the Input (JSON): $.features, Input, $['ID','SageMakerOutput']", () => {
    const processor = compile({ contentType: 'application/jsonlines', inputFilter: '$.features', joinSource: 'Input', outputFilter: "$['ID','SageMakerOutput']" });
    expect(run(processor, '{"ID":1,"features":[0.2,1.7,3.3]}', '{"label":1}')).toEqual({
      modelInput: '[0.2,1.7,3.3]',
      output: '{"ID":1,"SageMakerOutput":{"label":1}}',
    });
  });

  it("the guide's lowercase $['id','SageMakerOutput'] on a record keyed ID keeps only the prediction (names are case-sensitive)", () => {
    const processor = compile({ contentType: 'application/jsonlines', inputFilter: '$.features', joinSource: 'Input', outputFilter: "$['id','SageMakerOutput']" });
    expect(run(processor, '{"ID":1,"features":[0.2]}', '0').output).toBe('{"SageMakerOutput":0}');
  });

  it("the API reference's OutputFilter $[0,5:] keeps the first column and everything from the sixth", () => {
    const processor = compile({ joinSource: 'Input', outputFilter: '$[0,5:]' });
    expect(run(processor, 'id,a,b,c,d', '0.1,0.9').output).toBe('id,0.1,0.9');
  });
});

describe('compileDataProcessing: each side on its own', () => {
  it('an InputFilter alone rewrites the model input and writes the prediction as it is', () => {
    const processor = compile({ inputFilter: '$[1:]' });
    expect(run(processor, 'id,1,2', '0.5')).toEqual({ modelInput: '1,2', output: '0.5' });
  });

  it('returns the record itself when only the output side has work (no copy)', () => {
    const processor = compile({ joinSource: 'Input' });
    const record = Buffer.from('1,2');
    expect(processor.toModelInput(record)).toBe(record);
  });

  it('with JoinSource None, OutputFilter applies to the prediction, read as Accept says', () => {
    const processor = compile({ contentType: 'application/jsonlines', accept: 'text/csv', outputFilter: '$[-1]' });
    expect(run(processor, '{"x":1}', '0.1,0.9')).toEqual({ modelInput: '{"x":1}', output: '0.9' });
    const json = compile({ contentType: 'text/csv', accept: 'application/json', outputFilter: '$.scores[0]' });
    expect(run(json, '1,2', '{"scores":[0.8,0.2]}').output).toBe('0.8');
  });

  it('without Accept, the prediction is read as ContentType', () => {
    const processor = compile({ contentType: 'application/json', outputFilter: '$.label' });
    expect(run(processor, '{"x":1}', '{"label":"cat"}').output).toBe('"cat"');
  });

  it('reads content types case-insensitively and ignores their parameters', () => {
    expect(recordFormat('Text/CSV; charset=utf-8')).toBe('csv');
    expect(recordFormat('application/x-jsonlines')).toBe('json');
    expect(recordFormat('application/json; charset=utf-8')).toBe('json');
    expect(recordFormat('text/plain')).toBeUndefined();
    expect(recordFormat(undefined)).toBeUndefined();
  });

  it('a record that fails on one side throws RecordProcessingError and leaves the processor usable', () => {
    const processor = compile({ inputFilter: '$[3]' });
    expect(() => processor.toModelInput(Buffer.from('1,2'))).toThrow("InputFilter '$[3]': column index 3 is out of range: the record has 2 columns (record: 1,2)");
    expect(processor.toModelInput(Buffer.from('1,2,3,4')).toString()).toBe('4');
  });
});

describe('checkDataProcessing and DataProcessingConfigError', () => {
  it('rejects content types other than CSV and JSON, naming the one given', () => {
    expect(checkDataProcessing(params({ contentType: 'application/x-recordio-protobuf', inputFilter: '$[1:]' }))).toEqual([
      {
        field: 'ContentType',
        message:
          "DataProcessing supports only CSV (text/csv) and JSON/JSON Lines (application/json, application/jsonlines) content types; got ContentType 'application/x-recordio-protobuf'",
      },
    ]);
  });

  it('checks Accept only when the prediction side has work, and ContentType only when the input side has', () => {
    expect(checkDataProcessing(params({ contentType: 'image/png', accept: 'application/json', outputFilter: '$.label' }))).toEqual([]);
    expect(checkDataProcessing(params({ contentType: 'text/csv', accept: 'image/png', outputFilter: '$[0]' }))).toEqual([
      { field: 'Accept', message: expect.stringContaining("got Accept 'image/png'") },
    ]);
    expect(checkDataProcessing(params({ contentType: 'text/csv', accept: 'image/png', inputFilter: '$[1:]' }))).toEqual([]);
  });

  it('asks for a ContentType when none is set and a filter needs one', () => {
    expect(checkDataProcessing(params({ contentType: undefined, inputFilter: '$.a' }))).toEqual([
      { field: 'ContentType', message: 'DataProcessing needs ContentType to know how to read records: set it to text/csv, application/json or application/jsonlines' },
    ]);
  });

  it('reports a missing ContentType once even when both sides need it', () => {
    expect(checkDataProcessing(params({ contentType: undefined, inputFilter: '$.a', outputFilter: '$.b' }))).toHaveLength(1);
  });

  it('rejects JoinSource Input when Accept differs from ContentType', () => {
    expect(checkDataProcessing(params({ contentType: 'text/csv', accept: 'application/json', joinSource: 'Input' }))).toEqual([
      {
        field: 'DataProcessing.JoinSource',
        message: "JoinSource Input writes the prediction into the input record, so Accept must equal ContentType (got Accept 'application/json', ContentType 'text/csv')",
      },
    ]);
  });

  it('reports an invalid JSONPath under its field, with the position', () => {
    expect(checkDataProcessing(params({ inputFilter: '$[1:', outputFilter: '$.[' }))).toEqual([
      { field: 'DataProcessing.InputFilter', message: "InputFilter '$[1:' : expected ',' or ']' at position 4" },
      { field: 'DataProcessing.OutputFilter', message: "OutputFilter '$.[' : expected an index, a slice or a quoted name at position 3" },
    ]);
  });

  it('rejects filters by name on CSV, on either side', () => {
    expect(checkDataProcessing(params({ inputFilter: '$.name', joinSource: 'Input', outputFilter: "$['id']" }))).toEqual([
      { field: 'DataProcessing.InputFilter', message: expect.stringContaining("CSV columns have no names and are addressed by index, e.g. $[1:], $[0,-1] or $[2:5] (got '$.name')") },
      { field: 'DataProcessing.OutputFilter', message: expect.stringContaining("(got '$['id']')") },
    ]);
    expect(checkDataProcessing(params({ contentType: 'application/json', accept: 'text/csv', outputFilter: '$.label' }))).toEqual([
      { field: 'DataProcessing.OutputFilter', message: expect.stringContaining('CSV columns have no names') },
    ]);
  });

  it('accepts names on JSON', () => {
    expect(checkDataProcessing(params({ contentType: 'application/json', inputFilter: '$.name', joinSource: 'Input', outputFilter: "$['id']" }))).toEqual([]);
  });

  it('needs SplitType Line for CSV input and AssembleWith Line for CSV output, as the guide requires', () => {
    expect(checkDataProcessing(params({ inputFilter: '$[1:]', splitType: 'None' }))).toEqual([
      { field: 'SplitType', message: 'DataProcessing reads CSV row by row: set SplitType Line (got None)' },
    ]);
    expect(checkDataProcessing(params({ outputFilter: '$[0]', assembleWith: 'None' }))).toEqual([
      { field: 'AssembleWith', message: 'DataProcessing writes one CSV row per record: set AssembleWith Line (got None)' },
    ]);
  });

  it('compileDataProcessing throws every issue at once', () => {
    const bad = params({ contentType: 'text/plain', inputFilter: '$[', joinSource: 'Input', accept: 'text/csv' });
    expect(() => compileDataProcessing(bad)).toThrow(DataProcessingConfigError);
    try {
      compileDataProcessing(bad);
    } catch (error) {
      expect((error as DataProcessingConfigError).issues.map((i) => i.field)).toEqual(['DataProcessing.InputFilter', 'ContentType', 'DataProcessing.JoinSource']);
      expect((error as Error).message).toMatch(/^DataProcessing\.InputFilter: InputFilter '\$\[' : expected .*; ContentType: .*; DataProcessing\.JoinSource: /);
    }
  });
});
