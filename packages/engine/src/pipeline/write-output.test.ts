import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@sluice/testkit';
import { openStore } from '../storage/open-store.js';
import { ObjectFailureError } from './object-failure.js';
import { OutputWriter } from './write-output.js';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('sluice-write-output');
});
afterAll(async () => dir?.remove());

const writerFor = (name: string) => new OutputWriter(openStore(`file://${dir.path}/${name}`), { signal: new AbortController().signal });
const ok = (text: string) => ({ chunks: [Buffer.from(text)], recordsOut: 1, failures: [] });

describe('OutputWriter', () => {
  it('writes the outputs in the order given and opens no errors file when no record failed', async () => {
    const writer = writerFor('clean.out');
    expect(await writer.write({ chunks: [Buffer.from('a'), Buffer.from('\n')], recordsOut: 1, failures: [] })).toBe(2);
    await writer.write(ok('b\n'));
    await writer.complete();
    expect(await readFile(`${dir.path}/clean.out`, 'utf8')).toBe('a\nb\n');
    expect(writer.errorsUri).toBeUndefined();
    expect((await readdir(dir.path)).filter((f) => f.startsWith('clean'))).toEqual(['clean.out']);
  });

  it('writes a line per failed record to <output>.errors.jsonl: index, byte, reason, status and the model\'s first bytes', async () => {
    const writer = writerFor('mixed.out');
    await writer.write({
      chunks: [Buffer.from('ok\nERROR\n')],
      recordsOut: 1,
      failures: [{ recordIndex: 1, byteOffset: 3, reason: 'model answered 400', status: 400, response: Buffer.from('bad row') }],
    });
    await writer.complete();
    expect(writer.errorsUri).toBe(`file://${dir.path}/mixed.out.errors.jsonl`);
    const lines = (await readFile(`${dir.path}/mixed.out.errors.jsonl`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ recordIndex: 1, byteOffset: 3, reason: 'model answered 400', status: 400, response: 'bad row' }]);
  });

  it('leaves nothing behind when aborted', async () => {
    const writer = writerFor('aborted.out');
    await writer.write({ chunks: [Buffer.from('x\n')], recordsOut: 0, failures: [{ recordIndex: 0, byteOffset: 0, reason: 'r' }] });
    await writer.abort();
    expect((await readdir(dir.path)).filter((f) => f.startsWith('aborted'))).toEqual([]);
  });

  it('names the output when a write fails', async () => {
    const abort = new AbortController();
    const writer = new OutputWriter(openStore(`file://${dir.path}/failing.out`), { signal: abort.signal });
    abort.abort(new Error('gone'));
    const error = await writer.write(ok('x\n')).then(() => writer.complete()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectFailureError);
    expect((error as Error).message).toMatch(new RegExp(`^writing file://${dir.path}/failing\\.out: `));
  });
});
