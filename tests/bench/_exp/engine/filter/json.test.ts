import { describe, expect, it } from 'vitest';
import { joinJson, selectJson } from './json.js';
import { compileJsonPath } from './jsonpath.js';
import { RecordProcessingError } from './record-processor.js';

const b = (text: string) => Buffer.from(text);
const select = (expression: string, record: string, what: 'record' | 'prediction' = 'record') =>
  selectJson(compileJsonPath(expression, what === 'record' ? 'InputFilter' : 'OutputFilter'), what)(b(record)).toString();
const join = (expression: string, input: string, prediction: string) =>
  joinJson(compileJsonPath(expression, 'OutputFilter'))(b(input), b(prediction)).toString();

describe('selectJson', () => {
  it('sends the model the selected part as compact JSON', () => {
    expect(select('$.features', '{"ID": 1, "features": [0.5, 1.25, 3]}')).toBe('[0.5,1.25,3]');
    expect(select('$.features[1:]', '{"features":[1,2,3]}')).toBe('[2,3]');
  });

  it('passes large IDs and number spellings through unchanged', () => {
    expect(select("$['id','x']", '{"id":98765432109876543210,"x":2.50,"y":0}')).toBe('{"id":98765432109876543210,"x":2.50}');
  });

  it('fails a record that is not JSON with the parser\'s message and the record\'s first bytes', () => {
    expect(() => select('$.features', '{"features": [1, 2,}')).toThrow(
      new RecordProcessingError("InputFilter: the record is not valid JSON: expected a JSON value at character 19, found '}' (record: {\"features\": [1, 2,})"),
    );
  });

  it('quotes at most the first 100 bytes of a long record', () => {
    const record = `{"features":${'1'.repeat(200)}`;
    const message = (() => {
      try {
        select('$.features', record);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain(`(record: ${record.slice(0, 100)}…)`);
  });

  it('adds the record to a filter error so the failing record can be found', () => {
    expect(() => select('$.features', '{"ID":1}')).toThrow("InputFilter '$.features': the object at $ has no field 'features' (record: {\"ID\":1})");
  });

  it('with JoinSource None, filters the prediction and asks for JSON when the model answered something else', () => {
    expect(select('$.label', '{"label":1,"score":0.9}', 'prediction')).toBe('1');
    expect(() => select('$.label', 'positive', 'prediction')).toThrow(
      "OutputFilter: the prediction is not valid JSON: expected a JSON value at character 0, found 'p'; the filter needs the model to answer JSON for each record (prediction: positive)",
    );
  });
});

describe('joinJson', () => {
  it('adds the prediction to an object record under SageMakerOutput (the guide\'s {"key":1} example)', () => {
    expect(join('$', '{"key":1}', '{"label":1}')).toBe('{"key":1,"SageMakerOutput":{"label":1}}');
  });

  it('wraps a record that is not an object: {"SageMakerInput": record, "SageMakerOutput": prediction}', () => {
    expect(join('$', '[1,2,3]', '0.5')).toBe('{"SageMakerInput":[1,2,3],"SageMakerOutput":0.5}');
    expect(join('$', '"text"', '[0.2,0.8]')).toBe('{"SageMakerInput":"text","SageMakerOutput":[0.2,0.8]}');
    expect(join('$', '42', '{"label":1}')).toBe('{"SageMakerInput":42,"SageMakerOutput":{"label":1}}');
    expect(join('$', 'null', 'true')).toBe('{"SageMakerInput":null,"SageMakerOutput":true}');
  });

  it('joins a prediction that is not JSON as a string', () => {
    expect(join('$', '{"id":3}', 'positive')).toBe('{"id":3,"SageMakerOutput":"positive"}');
    expect(join('$', '{"id":3}', 'say "x"')).toBe('{"id":3,"SageMakerOutput":"say \\"x\\""}');
    expect(join('$', '{"id":3}', '')).toBe('{"id":3,"SageMakerOutput":""}');
  });

  it('overwrites an input field named SageMakerOutput in place, as the guide warns', () => {
    expect(join('$', '{"SageMakerOutput":"old","id":1}', '7')).toBe('{"SageMakerOutput":7,"id":1}');
  });

  it('applies OutputFilter to the joined record', () => {
    expect(join("$['ID','SageMakerOutput']", '{"ID":1,"features":[0.1,0.2]}', '{"label":0}')).toBe('{"ID":1,"SageMakerOutput":{"label":0}}');
    expect(join('$.SageMakerInput[0]', '["a","b"]', '1')).toBe('"a"');
    expect(join('$.SageMakerOutput.label', '{"id":1}', '{"label":"cat"}')).toBe('"cat"');
  });

  it('fails when the input record is not JSON, however good the prediction', () => {
    expect(() => join('$', 'id,1', '0.5')).toThrow(
      "JoinSource: the record is not valid JSON: expected a JSON value at character 0, found 'i' (record: id,1)",
    );
  });

  it('names the record and the prediction when OutputFilter fails on the joined record', () => {
    expect(() => join('$.label', '{"id":1}', '0.5')).toThrow(
      "OutputFilter '$.label': the object at $ has no field 'label' (record: {\"id\":1}; prediction: 0.5)",
    );
  });
});
