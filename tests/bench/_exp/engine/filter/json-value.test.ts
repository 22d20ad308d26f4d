import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, describeJson, jsonString, parseJson, serializeJson } from './json-value.js';

const roundTrip = (text: string) => serializeJson(parseJson(text));

describe('parseJson / serializeJson', () => {
  it('keeps numbers exactly as written, where JSON.parse would round them', () => {
    const record = '{"id":12345678901234567890,"price":1.50,"big":1E+400,"neg":-0.0}';
    expect(roundTrip(record)).toBe(record);
    expect(JSON.stringify(JSON.parse(record))).not.toBe(record);
  });

  it('keeps strings exactly as written, escapes included', () => {
    const record = '["caf\\u00e9","tab\\there","\\"quoted\\"","\\/slash","plain é"]';
    expect(roundTrip(record)).toBe(record);
  });

  it('writes compact JSON: whitespace between tokens goes, whitespace inside strings stays', () => {
    expect(roundTrip(' {\n  "a" : [ 1 , 2 ] ,\t"b" : "x y" }\r\n')).toBe('{"a":[1,2],"b":"x y"}');
  });

  it('keeps object keys in their written order, integer-like keys included', () => {
    expect(roundTrip('{"b":1,"2":2,"a":3}')).toBe('{"b":1,"2":2,"a":3}');
  });

  it('keeps the first position and the last value of a repeated key, like JSON.parse', () => {
    expect(roundTrip('{"a":1,"b":2,"a":3}')).toBe('{"a":3,"b":2}');
  });

  it('decodes escaped keys so paths match them', () => {
    const value = parseJson('{"caf\\u00e9":1}');
    expect(value instanceof Map && [...value.keys()]).toEqual(['café']);
  });

  it('reads every kind of scalar and empty containers', () => {
    expect(roundTrip('[true,false,null,0,-1,"",{},[]]')).toBe('[true,false,null,0,-1,"",{},[]]');
  });

  it('skips a leading byte-order mark', () => {
    expect(roundTrip('\uFEFF{"a":1}')).toBe('{"a":1}');
  });

  it.each([
    ['', "expected a JSON value at character 0, found the end"],
    ['{"a":1', "expected ',' or '}' at character 6, found the end"],
    ['{"a" 1}', "expected ':' after the key at character 5, found '1'"],
    ["{'a':1}", "expected a quoted key at character 1, found '''"],
    ['[1,]', "expected a JSON value at character 3, found ']'"],
    ['[01]', "expected ',' or ']' at character 2, found '1'"],
    ['{"a":1} x', "expected the end of the JSON text at character 8, found 'x'"],
    ['"abc', 'expected a closing \'"\' at character 4, found the end'],
    ['"a\\qb"', 'expected a valid escape'],
    ['"\\u12G4"', 'expected four hex digits after \\u at character 1'],
    ['"a\nb"', 'expected control characters to be escaped'],
    ['NaN', "expected a JSON value at character 0, found 'N'"],
    ['tru', "expected a JSON value at character 0, found 't'"],
  ])('rejects %j: %s', (text, message) => {
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
    expect(() => parseJson(text)).toThrow(message);
  });

  it('rejects nesting deeper than 512 levels instead of exhausting the stack', () => {
    expect(() => parseJson('['.repeat(100_000))).toThrow('expected at most 512 levels of nesting');
    expect(roundTrip(`${'['.repeat(512)}${']'.repeat(512)}`)).toBe(`${'['.repeat(512)}${']'.repeat(512)}`);
  });
});

describe('jsonString and describeJson', () => {
  it('turns text into a JSON string value', () => {
    expect(serializeJson(jsonString('say "hi"\n'))).toBe('"say \\"hi\\"\\n"');
  });

  it('names each kind of value for messages', () => {
    expect(['{}', '[]', '"s"', '1', 'true', 'false', 'null'].map((t) => describeJson(parseJson(t)))).toEqual([
      'an object',
      'an array',
      'a string',
      'a number',
      'a boolean',
      'a boolean',
      'null',
    ]);
  });
});
