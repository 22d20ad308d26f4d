/**
 * JSON as DataProcessing sees it: a parse that keeps every number, string and literal as the text
 * it was written in. JSON.parse would turn an 18-digit ID into a nearby double and `1.50` into
 * `1.5`; a filter that only selects and joins must hand those bytes through untouched, as
 * SageMaker's Jackson-based filter does for IDs. Objects are Maps so keys keep their order (a plain
 * object moves integer-like keys such as "2" ahead of the rest).
 */

/** A number, string (quotes and escapes included), `true`, `false` or `null`, exactly as written. */
export class JsonText {
  constructor(readonly text: string) {}
}

export type JsonValue = JsonText | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** Bad JSON; `message` says what was expected and at which character. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

/** Deeper than this is almost surely not a record; recursing further would risk the stack. */
const MAX_DEPTH = 512;

/** Parse one JSON text. A leading byte-order mark is skipped (Windows tools write one). */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  if (text.charCodeAt(0) === 0xfeff) parser.pos = 1;
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.pos < text.length) parser.fail('the end of the JSON text');
  return value;
}

/** Compact JSON: no spaces, scalars byte for byte as parsed, keys re-quoted with JSON.stringify. */
export function serializeJson(value: JsonValue): string {
  if (value instanceof JsonText) return value.text;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + serializeJson(value[i] as JsonValue);
    return `${out}]`;
  }
  let out = '{';
  for (const [key, item] of value) out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + serializeJson(item);
  return `${out}}`;
}

/** A string as a JSON value (how a prediction that is not JSON joins a JSON record). */
export function jsonString(text: string): JsonText {
  return new JsonText(JSON.stringify(text));
}

/** "an object", "an array", "a number"... for messages about what a path found. */
export function describeJson(value: JsonValue): string {
  if (Array.isArray(value)) return 'an array';
  if (!(value instanceof JsonText)) return 'an object';
  const first = value.text.charCodeAt(0);
  if (first === 0x22) return 'a string';
  if (first === 0x74 || first === 0x66) return 'a boolean';
  return first === 0x6e ? 'null' : 'a number';
}

const SIMPLE_ESCAPES = '"\\/bfnrt';
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  value(depth: number): JsonValue {
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x22) return new JsonText(this.text.slice(this.pos, this.stringEnd()));
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    NUMBER.lastIndex = this.pos;
    if (NUMBER.test(this.text)) {
      const start = this.pos;
      this.pos = NUMBER.lastIndex;
      return new JsonText(this.text.slice(start, this.pos));
    }
    return this.fail('a JSON value');
  }

  private object(depth: number): JsonObject {
    if (depth > MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} levels of nesting`);
    const object: JsonObject = new Map();
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return object;
    }
    while (true) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('a quoted key');
      const start = this.pos;
      const end = this.stringEnd();
      const raw = this.text.slice(start + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(this.text.slice(start, end)) as string) : raw;
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("':' after the key");
      this.pos++;
      // Like JSON.parse, a repeated key keeps its first position and its last value.
      object.set(key, this.value(depth));
      if (this.after(0x7d, "',' or '}'")) return object;
    }
  }

  private array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} levels of nesting`);
    const array: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return array;
    }
    while (true) {
      array.push(this.value(depth));
      if (this.after(0x5d, "',' or ']'")) return array;
    }
  }

  /** After a member: true at the closing bracket, false at a comma (both consumed). */
  private after(close: number, expected: string): boolean {
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos);
    if (c !== 0x2c && c !== close) this.fail(expected);
    this.pos++;
    return c === close;
  }

  /** Checks the string starting at `pos` and returns the index just past its closing quote. */
  private stringEnd(): number {
    const { text } = this;
    let i = this.pos + 1;
    while (true) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (Number.isNaN(c)) {
        this.pos = i;
        this.fail('a closing \'"\'');
      }
      if (c < 0x20) {
        this.pos = i;
        this.fail('control characters to be escaped (\\n, \\t, \\u0000...)');
      }
      if (c === 0x5c) {
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            this.pos = i;
            this.fail('four hex digits after \\u');
          }
          i += 5;
        } else if (Number.isNaN(e) || !SIMPLE_ESCAPES.includes(String.fromCharCode(e))) {
          this.pos = i;
          this.fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        } else {
          i += 1;
        }
      }
      i++;
    }
    this.pos = i + 1;
    return this.pos;
  }

  private literal(word: string): JsonText {
    if (!this.text.startsWith(word, this.pos)) this.fail('a JSON value');
    this.pos += word.length;
    return new JsonText(word);
  }

  skipSpace(): void {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++this.pos);
  }

  fail(expected: string): never {
    const found = this.pos < this.text.length ? `'${this.text[this.pos]}'` : 'the end';
    throw new JsonSyntaxError(`expected ${expected} at character ${this.pos}, found ${found}`);
  }
}
