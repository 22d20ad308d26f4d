import { type JsonValue, JsonText, describeJson } from './json-value.js';
import { RecordProcessingError } from './record-processor.js';

/**
 * SageMaker's JSONPath subset, compiled once per job into steps that a record walks through:
 *
 *   $                 the whole record
 *   .name  ['name']   one field (also ["name"]; `.['a','b']` is accepted as SageMaker's guide writes it)
 *   ['a','b']         several fields → an object with those that exist, in the order listed
 *   .*  [*]           every element of an array or every value of an object
 *   [i]               one element; negative counts from the end (-1 is the last)
 *   [i,j] [s:e]       several elements → an array; slices are end-exclusive, either end optional,
 *   [0,5:]            negatives allowed, clamped to the array (a slice never fails)
 *
 * A path with only single-field and single-index steps yields one value; once a step selects
 * several (`[*]`, a slice, a list of indexes), later steps apply to each and the result is the
 * array of everything selected, as in Jayway JsonPath, which SageMaker's guide refers to.
 *
 * What a user named must exist: a missing field, an index past the end, or a step that needs an
 * object or array and finds something else fails the record (RecordProcessingError naming the
 * field). The one exception is a list of names, which keeps the fields present (as Jayway does).
 */
export interface JsonPath {
  /** The expression as written (`$.features`). */
  readonly expression: string;
  /** Which parameter it came from, for messages: `InputFilter` or `OutputFilter`. */
  readonly label: string;
  readonly steps: readonly PathStep[];
  /** True for `$` alone: the filter changes nothing. */
  readonly isRoot: boolean;
  /** The selected part of a record. */
  evaluate(root: JsonValue): JsonValue;
}

export type PathStep =
  | { kind: 'name'; name: string }
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; selectors: IndexSelector[] }
  | { kind: 'wildcard' };

export type IndexSelector = { kind: 'index'; index: number } | { kind: 'slice'; start?: number; end?: number };

/** An expression that is not in the supported subset; the message says where and what to write. */
export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
  constructor(
    readonly label: string,
    readonly expression: string,
    readonly position: number,
    readonly problem: string,
  ) {
    super(`${label} '${expression}' : ${problem} at position ${position}${position < expression.length ? `, found '${expression[position]}'` : ''}`);
  }
}

/** Parse and compile `expression`; `label` names the parameter in every message. An empty expression means `$`. */
export function compileJsonPath(expression: string, label: string): JsonPath {
  const parsed = parseSteps(expression === '' ? '$' : expression, label);
  const fail = (problem: string): never => {
    throw new RecordProcessingError(`${label} '${expression}': ${problem}`);
  };
  const compiled = parsed.map(({ step, at }) => compileStep(step, at, fail));
  const definite = compiled.every((s) => s.get !== undefined);
  const gets = compiled.map((s) => s.get as Get);

  const evaluate = definite
    ? (root: JsonValue): JsonValue => {
        let value = root;
        for (const get of gets) value = get(value);
        return value;
      }
    : (root: JsonValue): JsonValue => {
        let values: JsonValue[] = [root];
        for (const { select } of compiled) {
          const next: JsonValue[] = [];
          for (const value of values) select(value, next);
          values = next;
        }
        return values;
      };
  return { expression, label, steps: parsed.map((p) => p.step), isRoot: parsed.length === 0, evaluate };
}

/**
 * The array positions `selectors` pick from an array of `length`, in the order written (repeats
 * kept). An index outside the array calls `outOfRange` with the index as written.
 */
export function pickIndexes(selectors: readonly IndexSelector[], length: number, outOfRange: (index: number) => never): number[] {
  const picked: number[] = [];
  for (const s of selectors) {
    if (s.kind === 'index') {
      const i = s.index < 0 ? length + s.index : s.index;
      if (i < 0 || i >= length) outOfRange(s.index);
      picked.push(i);
    } else {
      const clamp = (n: number) => Math.min(Math.max(n < 0 ? length + n : n, 0), length);
      const end = clamp(s.end ?? length);
      for (let i = clamp(s.start ?? 0); i < end; i++) picked.push(i);
    }
  }
  return picked;
}

type Get = (value: JsonValue) => JsonValue;
type Select = (value: JsonValue, out: JsonValue[]) => void;

/** A step as a function: `get` for steps that yield exactly one value, `select` for any. */
function compileStep(step: PathStep, at: string, fail: (problem: string) => never): { get?: Get; select: Select } {
  const objectAt = (value: JsonValue, reading: string): Map<string, JsonValue> =>
    value instanceof Map ? value : fail(`expected an object at ${at} to read ${reading}, found ${describeJson(value)}`);
  const arrayAt = (value: JsonValue): JsonValue[] =>
    Array.isArray(value) ? value : fail(`expected an array at ${at}, found ${describeJson(value)}`);
  const outOfRange = (length: number) => (index: number) =>
    fail(`index ${index} is out of range at ${at}: the array has ${length} element${length === 1 ? '' : 's'}`);
  const one = (get: Get) => ({ get, select: (value: JsonValue, out: JsonValue[]) => void out.push(get(value)) });

  switch (step.kind) {
    case 'name': {
      const { name } = step;
      return one((value) => objectAt(value, `'${name}'`).get(name) ?? fail(`the object at ${at} has no field '${name}'`));
    }
    case 'names': {
      const { names } = step;
      const reading = names.map((n) => `'${n}'`).join(', ');
      return one((value) => {
        const object = objectAt(value, reading);
        const picked = new Map<string, JsonValue>();
        for (const name of names) {
          const field = object.get(name);
          if (field !== undefined) picked.set(name, field);
        }
        return picked;
      });
    }
    case 'indexes': {
      const { selectors } = step;
      const only = selectors.length === 1 && selectors[0]?.kind === 'index' ? selectors[0].index : undefined;
      if (only !== undefined) {
        return one((value) => {
          const array = arrayAt(value);
          return array.at(only) ?? outOfRange(array.length)(only);
        });
      }
      return {
        select: (value, out) => {
          const array = arrayAt(value);
          for (const i of pickIndexes(selectors, array.length, outOfRange(array.length))) out.push(array[i] as JsonValue);
        },
      };
    }
    case 'wildcard':
      return {
        select: (value, out) => {
          if (value instanceof JsonText) fail(`expected an object or an array at ${at} for '*', found ${describeJson(value)}`);
          for (const item of Array.isArray(value) ? value : value.values()) out.push(item);
        },
      };
  }
}

/** Characters that end a dot-notation name (JSONPath syntax, or never meant as part of a name). */
const NAME_END = new Set(['.', '[', ']', "'", '"', '*', ',', '(', ')', '?', '@', ':', ' ', '\t', '\n', '\r']);

/** Each step with the path before it (`$.a` for the `.b` of `$.a.b`), for messages. */
function parseSteps(expression: string, label: string): { step: PathStep; at: string }[] {
  let pos = 0;
  const fail = (problem: string): never => {
    throw new JsonPathSyntaxError(label, expression, pos, problem);
  };
  const peek = () => expression[pos];
  const skipSpaces = () => {
    while (peek() === ' ') pos++;
  };
  const expect = (char: string, what: string) => {
    skipSpaces();
    if (peek() !== char) fail(`expected ${what}`);
    pos++;
  };

  const integer = (): number | undefined => {
    const match = /^-?[0-9]+/.exec(expression.slice(pos));
    if (!match) return undefined;
    const n = Number(match[0]);
    if (!Number.isSafeInteger(n)) fail('expected an index no larger than 2^53');
    pos += match[0].length;
    return n;
  };

  const quoted = (): string => {
    const quote = peek() as string;
    let name = '';
    pos++;
    while (peek() !== quote) {
      if (pos >= expression.length) fail(`expected a closing ${quote}`);
      if (peek() === '\\' && pos + 1 < expression.length) pos++;
      name += expression[pos];
      pos++;
    }
    pos++;
    return name;
  };

  const bracket = (): PathStep => {
    pos++;
    skipSpaces();
    const c = peek();
    if (c === '*') {
      pos++;
      expect(']', "']' after '*'");
      return { kind: 'wildcard' };
    }
    if (c === "'" || c === '"') {
      const names = [quoted()];
      for (skipSpaces(); peek() === ','; skipSpaces()) {
        pos++;
        skipSpaces();
        if (peek() !== "'" && peek() !== '"') fail('expected a quoted name (names and indexes cannot be mixed)');
        names.push(quoted());
      }
      expect(']', "',' or ']' after a name");
      return names.length === 1 ? { kind: 'name', name: names[0] as string } : { kind: 'names', names };
    }
    if (c === '?') fail('filter expressions ([?(...)]) are not supported; expected an index, a slice or a quoted name');
    const selectors: IndexSelector[] = [];
    while (true) {
      skipSpaces();
      const start = integer();
      skipSpaces();
      if (peek() === ':') {
        pos++;
        skipSpaces();
        const end = integer();
        skipSpaces();
        if (peek() === ':') fail("slice steps ([start:end:step]) are not supported; expected ',' or ']'");
        selectors.push({ kind: 'slice', ...(start !== undefined && { start }), ...(end !== undefined && { end }) });
      } else if (start !== undefined) {
        selectors.push({ kind: 'index', index: start });
      } else {
        fail(selectors.length === 0 ? 'expected an index, a slice or a quoted name' : 'expected an index or a slice');
      }
      skipSpaces();
      if (peek() !== ',') break;
      pos++;
    }
    expect(']', "',' or ']'");
    return { kind: 'indexes', selectors };
  };

  if (peek() !== '$') fail("expected '$' (every path starts at the record's root)");
  pos++;
  const steps: { step: PathStep; at: string }[] = [];
  while (pos < expression.length) {
    const at = expression.slice(0, pos);
    if (peek() === '[') {
      steps.push({ step: bracket(), at });
    } else if (peek() === '.') {
      pos++;
      if (peek() === '.') fail("recursive descent ('..') is not supported; expected a field name");
      if (peek() === '*') {
        pos++;
        steps.push({ step: { kind: 'wildcard' }, at });
      } else if (peek() === '[') {
        steps.push({ step: bracket(), at });
      } else {
        const start = pos;
        while (pos < expression.length && !NAME_END.has(peek() as string)) pos++;
        if (pos === start) fail("expected a field name, '*' or '[' after '.'");
        steps.push({ step: { kind: 'name', name: expression.slice(start, pos) }, at });
      }
    } else {
      fail("expected '.' or '['");
    }
  }
  return steps;
}
