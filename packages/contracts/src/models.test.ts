import { describe, expect, it } from 'vitest';
import { ZCreateModelSchema } from './models.js';

const issues = (input: unknown) => ZCreateModelSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('ZCreateModelSchema, kind builtin', () => {
  it('accepts a handler by built-in name, with an optional artifact', () => {
    expect(ZCreateModelSchema.parse({ name: 'lang', kind: 'builtin', handler: 'franc' })).toMatchObject({ kind: 'builtin', handler: 'franc' });
    expect(issues({ name: 'lang', kind: 'builtin', handler: 'fasttext-langid', artifactUri: 'file:///models/lid' })).toBeUndefined();
  });

  it('needs a handler and refuses a URL, command or port', () => {
    expect(issues({ name: 'lang', kind: 'builtin' })).toEqual(['handler: a builtin model needs its handler: a built-in name such as franc or fasttext-langid, or a module path']);
    expect(issues({ name: 'lang', kind: 'builtin', handler: 'franc', url: 'http://x:1', command: 'run', port: 8080 })).toEqual([
      'url: a builtin model runs inside the worker; it has no URL',
      'command: a builtin model runs inside the worker; it has no command',
      'port: a builtin model runs inside the worker; it listens on no port',
    ]);
  });

  it('refuses a handler on http and command models', () => {
    expect(issues({ name: 'm', kind: 'http', url: 'http://x:1', handler: 'franc' })).toEqual(['handler: an http model has a URL, not a handler']);
    expect(issues({ name: 'm', kind: 'command', command: 'run', handler: 'franc' })?.[0]).toMatch(/^handler: a command model has a command/);
  });
});
