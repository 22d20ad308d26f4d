import { describe, expect, it } from 'vitest';
import { parseJson, serializeJson } from './json-value.js';
import { JsonPathSyntaxError, compileJsonPath, pickIndexes } from './jsonpath.js';
import { RecordProcessingError } from './record-processor.js';

/** `expression` applied to the JSON text `record`, as compact JSON. */
function select(expression: string, record: string): string {
  return serializeJson(compileJsonPath(expression, 'InputFilter').evaluate(parseJson(record)));
}

function syntaxError(expression: string): string {
  try {
    compileJsonPath(expression, 'InputFilter');
  } catch (error) {
    expect(error).toBeInstanceOf(JsonPathSyntaxError);
    return (error as Error).message;
  }
  throw new Error(`'${expression}' compiled`);
}

const ORDER = '{"id":7,"customer":{"name":"Ana","tier":"gold"},"items":[{"sku":"a","qty":1},{"sku":"b","qty":2},{"sku":"c","qty":3}]}';

describe('compileJsonPath: the operators in SageMaker\'s table', () => {
  it('$ selects the whole record', () => {
    expect(select('$', ORDER)).toBe(ORDER);
    expect(compileJsonPath('$', 'InputFilter').isRoot).toBe(true);
  });

  it('treats an empty expression as $ (the API allows length 0)', () => {
    expect(compileJsonPath('', 'InputFilter').isRoot).toBe(true);
  });

  it('.name and [\'name\'] and ["name"] select one field, nested with more steps', () => {
    expect(select('$.id', ORDER)).toBe('7');
    expect(select('$.customer.name', ORDER)).toBe('"Ana"');
    expect(select("$['customer']['tier']", ORDER)).toBe('"gold"');
    expect(select('$["customer"].tier', ORDER)).toBe('"gold"');
  });

  it("['a','b'] selects several fields into an object, in the order listed", () => {
    expect(select("$['items','id']", ORDER)).toBe('{"items":[{"sku":"a","qty":1},{"sku":"b","qty":2},{"sku":"c","qty":3}],"id":7}');
    expect(select("$.customer['tier', \"name\"]", ORDER)).toBe('{"tier":"gold","name":"Ana"}');
  });

  it("accepts the guide's .['child1','child2'] spelling", () => {
    expect(select("$.customer.['name','tier']", ORDER)).toBe('{"name":"Ana","tier":"gold"}');
  });

  it('a list of names leaves out the fields the record lacks (names are case-sensitive)', () => {
    expect(select("$['ID','id','missing']", ORDER)).toBe('{"id":7}');
    expect(select("$['x','y']", ORDER)).toBe('{}');
  });

  it('* and [*] select every value of an object or element of an array', () => {
    expect(select('$.customer.*', ORDER)).toBe('["Ana","gold"]');
    expect(select('$.items[*].sku', ORDER)).toBe('["a","b","c"]');
    expect(select('$[*]', '[1,2,3]')).toBe('[1,2,3]');
  });

  it('[i] selects one element; negative indexes count from the end', () => {
    expect(select('$[1]', '[10,20,30]')).toBe('20');
    expect(select('$[-1]', '[10,20,30]')).toBe('30');
    expect(select('$[-3]', '[10,20,30]')).toBe('10');
    expect(select('$.items[-1].sku', ORDER)).toBe('"c"');
  });

  it('[i,j] selects several elements into an array, in the order written', () => {
    expect(select('$[1,3,5]', '[0,1,2,3,4,5,6]')).toBe('[1,3,5]');
    expect(select('$[0,-1]', '[0,1,2,3,4,5,6]')).toBe('[0,6]');
    expect(select('$[-1,0,0]', '[0,1,2]')).toBe('[2,0,0]');
  });

  it('[start:end] is end-exclusive with either end optional', () => {
    const seven = '[0,1,2,3,4,5,6]';
    expect(select('$[2:5]', seven)).toBe('[2,3,4]');
    expect(select('$[:5]', seven)).toBe('[0,1,2,3,4]');
    expect(select('$[2:]', seven)).toBe('[2,3,4,5,6]');
    expect(select('$[:]', seven)).toBe(seven);
  });

  it('slices take negative ends and clamp to the array instead of failing', () => {
    const seven = '[0,1,2,3,4,5,6]';
    expect(select('$[-2:]', seven)).toBe('[5,6]');
    expect(select('$[:-2]', seven)).toBe('[0,1,2,3,4]');
    expect(select('$[1:-1]', seven)).toBe('[1,2,3,4,5]');
    expect(select('$[5:100]', seven)).toBe('[5,6]');
    expect(select('$[-100:2]', seven)).toBe('[0,1]');
    expect(select('$[4:2]', seven)).toBe('[]');
  });

  it('mixes indexes and slices in one bracket, as in the API reference\'s $[0,5:]', () => {
    expect(select('$[0,5:]', '[0,1,2,3,4,5,6]')).toBe('[0,5,6]');
  });

  it('$.features[1:] slices a nested array', () => {
    expect(select('$.features[1:]', '{"features":[1,2,3]}')).toBe('[2,3]');
  });

  it('allows spaces inside brackets', () => {
    expect(select("$[ 'id' , 'customer' ]", ORDER)).toBe('{"id":7,"customer":{"name":"Ana","tier":"gold"}}');
    expect(select('$[ 0 , 2 : ]', '[0,1,2,3]')).toBe('[0,2,3]');
  });

  it('reads quoted names literally: dots, brackets and escaped quotes are part of the name', () => {
    expect(select("$['a.b']", '{"a.b":1,"a":{"b":2}}')).toBe('1');
    expect(select("$['it\\'s']", '{"it\'s":3}')).toBe('3');
    expect(select('$["x]"]', '{"x]":4}')).toBe('4');
  });
});

describe('compileJsonPath: what a missing part yields', () => {
  const fails = (expression: string, record: string) => () => compileJsonPath(expression, 'OutputFilter').evaluate(parseJson(record));

  it('fails the record on a missing field, naming the field, where it was looked for and the expression', () => {
    expect(fails('$.features', '{"ID":1}')).toThrow(new RecordProcessingError("OutputFilter '$.features': the object at $ has no field 'features'"));
    expect(fails('$.customer.email', ORDER)).toThrow("the object at $.customer has no field 'email'");
  });

  it('fails the record on an index past either end, saying how long the array is', () => {
    expect(fails('$[3]', '[1,2,3]')).toThrow("OutputFilter '$[3]': index 3 is out of range at $: the array has 3 elements");
    expect(fails('$[0,-4]', '[1,2,3]')).toThrow('index -4 is out of range at $: the array has 3 elements');
  });

  it('fails the record when a step finds the wrong kind of value', () => {
    expect(fails('$.id.x', ORDER)).toThrow("expected an object at $.id to read 'x', found a number");
    expect(fails('$.customer[0]', ORDER)).toThrow('expected an array at $.customer, found an object');
    expect(fails('$[0:1]', '"text"')).toThrow('expected an array at $, found a string');
    expect(fails('$.id[*]', ORDER)).toThrow("expected an object or an array at $.id for '*', found a number");
  });

  it('after [*], a field missing from one element fails the record rather than dropping it silently', () => {
    expect(fails('$.items[*].price', ORDER)).toThrow("the object at $.items[*] has no field 'price'");
  });

  it('throws RecordProcessingError, which the pipeline reports per record', () => {
    expect(fails('$.x', '{}')).toThrow(RecordProcessingError);
  });
});

describe('compileJsonPath: syntax errors name the expression, the position and what was expected', () => {
  it('at the end of an unfinished bracket', () => {
    expect(syntaxError('$.a[')).toBe("InputFilter '$.a[' : expected an index, a slice or a quoted name at position 4");
  });

  it('when the root is missing', () => {
    expect(syntaxError('features')).toBe("InputFilter 'features' : expected '$' (every path starts at the record's root) at position 0, found 'f'");
    expect(syntaxError(' $')).toContain('at position 0');
  });

  it('for JSONPath features outside SageMaker\'s subset', () => {
    expect(syntaxError('$..id')).toBe("InputFilter '$..id' : recursive descent ('..') is not supported; expected a field name at position 2, found '.'");
    expect(syntaxError('$[?(@.a)]')).toContain('filter expressions ([?(...)]) are not supported');
    expect(syntaxError('$[0:4:2]')).toBe("InputFilter '$[0:4:2]' : slice steps ([start:end:step]) are not supported; expected ',' or ']' at position 5, found ':'");
    expect(syntaxError('$.items.length()')).toBe("InputFilter '$.items.length()' : expected '.' or '[' at position 14, found '('");
  });

  it('for malformed brackets and names', () => {
    expect(syntaxError('$[1,]')).toBe("InputFilter '$[1,]' : expected an index or a slice at position 4, found ']'");
    expect(syntaxError('$[1 2]')).toBe("InputFilter '$[1 2]' : expected ',' or ']' at position 4, found '2'");
    expect(syntaxError("$['a',1]")).toBe("InputFilter '$['a',1]' : expected a quoted name (names and indexes cannot be mixed) at position 6, found '1'");
    expect(syntaxError("$['a")).toBe("InputFilter '$['a' : expected a closing ' at position 4");
    expect(syntaxError('$.')).toBe("InputFilter '$.' : expected a field name, '*' or '[' after '.' at position 2");
    expect(syntaxError('$[*')).toBe("InputFilter '$[*' : expected ']' after '*' at position 3");
    expect(syntaxError('$ ')).toBe("InputFilter '$ ' : expected '.' or '[' at position 1, found ' '");
    expect(syntaxError('$[99999999999999999999]')).toContain('expected an index no larger than 2^53');
  });

  it('labels the error with the parameter it came from', () => {
    expect(() => compileJsonPath('$[', 'OutputFilter')).toThrow(/^OutputFilter '\$\[' : /);
  });
});

describe('pickIndexes', () => {
  const never = (index: number): never => {
    throw new Error(`out of range: ${index}`);
  };

  it('lists the positions of indexes and slices in order, repeats kept', () => {
    expect(pickIndexes([{ kind: 'index', index: 0 }, { kind: 'slice', start: -2 }, { kind: 'index', index: 0 }], 5, never)).toEqual([0, 3, 4, 0]);
  });

  it('reports the index as written when it is out of range', () => {
    expect(() => pickIndexes([{ kind: 'index', index: -6 }], 5, never)).toThrow('out of range: -6');
  });

  it('an empty array has nothing to slice and no index to pick', () => {
    expect(pickIndexes([{ kind: 'slice' }], 0, never)).toEqual([]);
    expect(() => pickIndexes([{ kind: 'index', index: 0 }], 0, never)).toThrow('out of range: 0');
  });
});
