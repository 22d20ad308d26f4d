import { describe, expect, it } from 'vitest';
import { defaultInputFn, defaultOutputFn, splitLines, type Handler } from './handler.js';
import { instantiateHandler } from './instance.js';

describe('defaultInputFn', () => {
  it('decodes by Content-Type: JSON, JSON Lines, text, and bytes otherwise', () => {
    expect(defaultInputFn(Buffer.from('{"a":[1,2]}'), 'application/json; charset=utf-8')).toEqual({ a: [1, 2] });
    expect(defaultInputFn(Buffer.from('{"a":1}\r\n[2]\n"x"\n'), 'application/jsonlines')).toEqual([{ a: 1 }, [2], 'x']);
    expect(defaultInputFn(Buffer.from('1,2\n3,4\n'), 'text/csv')).toBe('1,2\n3,4\n');
    const bytes = Buffer.from([0, 1, 2]);
    expect(defaultInputFn(bytes, 'application/x-npy')).toBe(bytes);
    expect(defaultInputFn(bytes, undefined)).toBe(bytes);
  });

  it('names the line that is not JSON', () => {
    expect(() => defaultInputFn(Buffer.from('{"a":1}\n{oops\n'), 'application/jsonlines')).toThrow(/^line 2 is not JSON/);
  });
});

describe('splitLines', () => {
  it('counts lines as the engine counts a Line mini-batch', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\n\nb\r\n')).toEqual(['a', '', 'b']);
  });
});

describe('defaultOutputFn', () => {
  const rows = [{ label: 'eng', probability: 0.5 }, { label: 'a,"b"', probability: 1 }];

  it('writes one JSON line per element by default and for application/jsonlines', () => {
    const expected = '{"label":"eng","probability":0.5}\n{"label":"a,\\"b\\"","probability":1}\n';
    expect(defaultOutputFn(rows, undefined)).toBe(expected);
    expect(defaultOutputFn(rows, 'application/jsonlines')).toBe(expected);
    expect(defaultOutputFn({ one: 1 }, '*/*')).toBe('{"one":1}\n');
  });

  it('writes JSON for application/json and quoted CSV rows for text/csv', () => {
    expect(defaultOutputFn(rows, 'application/json')).toBe(`${JSON.stringify(rows)}\n`);
    expect(defaultOutputFn(rows, 'text/csv')).toBe('eng,0.5\n"a,""b""",1\n');
    expect(defaultOutputFn([[1, 2], [3, null]], 'text/csv')).toBe('1,2\n3,\n');
  });

  it('passes strings and Buffers through whatever the Accept', () => {
    expect(defaultOutputFn('as is', 'application/json')).toBe('as is');
  });
});

describe('instantiateHandler', () => {
  it('loads the model once and runs inputFn → predictFn → outputFn per invocation', async () => {
    let loads = 0;
    const handler: Handler<{ factor: number }, number[], number[]> = {
      modelFn: (dir) => {
        loads++;
        return { factor: dir === '/models/x' ? 10 : 1 };
      },
      predictFn: (numbers, model) => numbers.map((n) => n * model.factor),
    };
    const instance = await instantiateHandler(handler as Handler, '/models/x');
    expect((await instance.invoke(Buffer.from('1\n2\n'), 'application/jsonlines', undefined)).toString()).toBe('10\n20\n');
    expect((await instance.invoke(Buffer.from('[3]'), 'application/json', 'application/json')).toString()).toBe('[30]\n');
    expect(loads).toBe(1);
  });

  it('answers synchronously when every hook is synchronous, and awaits async hooks', async () => {
    const sync = await instantiateHandler({ predictFn: (text: unknown) => String(text).toUpperCase() }, undefined);
    const answer = sync.invoke(Buffer.from('abc'), 'text/plain', undefined);
    expect(Buffer.isBuffer(answer)).toBe(true);
    const async = await instantiateHandler({ predictFn: async (text: unknown) => String(text).toUpperCase() }, undefined);
    expect((await async.invoke(Buffer.from('abc'), 'text/plain', undefined)).toString()).toBe('ABC');
  });
});
