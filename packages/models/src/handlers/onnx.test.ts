import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type ModelTransport } from '@sluice/engine';
import { createHandlerTransport } from '../in-process.js';
import { startModelServer, type RunningModelServer } from '../server.js';
import { invokeText, jsonLines } from '../test-support/invoke.js';
import { classifierModel, linearModel, onnxModel, writeModel } from '../test-support/onnx-models.js';
import onnxHandler from './onnx.js';

// y = x·W + b over 4 features into 3 outputs; also the classifier's logits (W [4,3], b [3]).
const W = [
  [0.5, -1, 0.25],
  [2, 0.5, -0.75],
  [-1.5, 1, 0.125],
  [0.25, 0.5, 2],
];
const B = [0.1, -0.2, 0.3];
const LABELS = ['Adelie', 'Chinstrap', 'Gentoo'];
const ROWS = [
  [1, 2, 3, 4],
  [0.5, -1.25, 3.75, 0],
  [10, 0, -2, 1.5],
  [-3, 4, 0.001, 2e-3],
];

/** The arithmetic, in doubles: what the model computes (in float32) for `row`. */
function linear(row: number[]): number[] {
  return B.map((b, k) => row.reduce((sum, x, f) => sum + x * W[f]![k]!, b));
}
function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

let dir: string;
let linearPath: string;
let classifierPath: string;
let linearTransport: ModelTransport;
let classifier: ModelTransport;
/** onnxruntime-node called directly on the same models. */
let linearSession: InferenceSession;
let classifierSession: InferenceSession;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-onnx-'));
  await mkdir(join(dir, 'classifier'));
  linearPath = await writeModel(dir, 'linear.onnx', linearModel(W, B));
  classifierPath = await writeModel(join(dir, 'classifier'), 'penguins.onnx', classifierModel(W, B, LABELS));
  // The worker hands over a directory (the artifact copied or unpacked into it); a path to the
  // .onnx file itself works as well.
  [linearTransport, classifier, linearSession, classifierSession] = await Promise.all([
    createHandlerTransport('onnx', { modelDir: linearPath }),
    createHandlerTransport('onnx', { modelDir: join(dir, 'classifier') }),
    InferenceSession.create(linearPath),
    InferenceSession.create(classifierPath),
  ]);
});
afterAll(async () => {
  await Promise.allSettled([linearTransport?.close(), classifier?.close(), linearSession?.release(), classifierSession?.release()]);
  await rm(dir, { recursive: true, force: true });
});

async function direct(session: InferenceSession, rows: number[][]): Promise<Record<string, Tensor>> {
  const x = new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);
  return (await session.run({ [session.inputNames[0]!]: x })) as Record<string, Tensor>;
}

const csv = (rows: number[][]) => rows.map((row) => `${row.join(',')}\n`).join('');
const cells = (text: string) => text.trimEnd().split('\n').map((line) => line.split(','));

describe('onnx handler: a linear model', () => {
  it('answers a CSV mini-batch with one CSV row per record, equal to onnxruntime called directly and to the arithmetic', async () => {
    const answer = await invokeText(linearTransport, csv(ROWS), 'text/csv');
    const rows = cells(answer).map((row) => row.map(Number));
    expect(rows).toHaveLength(ROWS.length);
    const y = (await direct(linearSession, ROWS)).y!.data as Float32Array;
    rows.forEach((row, r) => {
      expect(row).toHaveLength(3);
      // Each value written is the shortest decimal that reads back as onnxruntime's float32.
      row.forEach((value, k) => expect(Math.fround(value)).toBe(y[r * 3 + k]));
      linear(ROWS[r]!).forEach((expected, k) => expect(row[k]).toBeCloseTo(expected, 4));
    });
    // [1,2,3,4]: 0.5+4-4.5+1+0.1 = 1.1; -1+1+3+2-0.2 = 4.8; 0.25-1.5+0.375+8+0.3 = 7.425
    expect(answer.split('\n')[0]).toBe('1.1,4.8,7.425');
  });

  it('reads JSON Lines {"inputs": [...]} and answers one {"y": [...]} per line, the same values as for CSV', async () => {
    const body = ROWS.map((row) => JSON.stringify({ inputs: row })).join('\n');
    const answer = jsonLines(await invokeText(linearTransport, body, 'application/jsonlines')) as Array<{ y: number[] }>;
    const fromCsv = cells(await invokeText(linearTransport, csv(ROWS), 'text/csv')).map((row) => row.map(Number));
    expect(answer).toEqual(fromCsv.map((y) => ({ y })));
  });

  it('reads application/json {"inputs": [[...], ...]} and answers CSV, JSON Lines or JSON as Accept says', async () => {
    const body = JSON.stringify({ inputs: ROWS.slice(0, 2) });
    const lines = jsonLines(await invokeText(linearTransport, body, 'application/json'));
    expect(await invokeText(linearTransport, body, 'application/json', 'application/json')).toBe(`${JSON.stringify(lines)}\n`);
    expect(await invokeText(linearTransport, body, 'application/json', 'text/csv')).toBe(`${(lines as Array<{ y: number[] }>).map((l) => l.y.join(',')).join('\n')}\n`);
    expect(await invokeText(linearTransport, csv(ROWS.slice(0, 2)), 'text/csv', 'application/jsonlines')).toBe(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  });
});

describe('onnx handler: a classifier with class names in its metadata', () => {
  it('answers label names and probabilities per CSV row, equal to onnxruntime and to softmax over the logits', async () => {
    const answer = await invokeText(classifier, csv(ROWS), 'text/csv');
    const ort = await direct(classifierSession, ROWS);
    const label = ort.label!.data as BigInt64Array;
    const probabilities = ort.probabilities!.data as Float32Array;
    const rows = cells(answer);
    expect(rows).toHaveLength(ROWS.length);
    rows.forEach(([name, ...probs], r) => {
      expect(name).toBe(LABELS[Number(label[r])]);
      probs.map(Number).forEach((p, k) => expect(Math.fround(p)).toBe(probabilities[r * 3 + k]));
      const expected = softmax(linear(ROWS[r]!));
      expect(name).toBe(LABELS[expected.indexOf(Math.max(...expected))]);
      expected.forEach((p, k) => expect(Number(probs[k])).toBeCloseTo(p, 5));
    });
    // Row 3 (10,0,-2,1.5): logits 8.475, -11.45, 5.55; float32 probabilities, printed shortest.
    expect(rows[2]).toEqual(['Adelie', '0.94906855', '2.1085327e-9', '0.05093146']);
  });

  it('answers {"label": name, "probabilities": [...]} per JSON Lines record', async () => {
    const body = ROWS.map((row, i) => JSON.stringify({ id: i, inputs: row })).join('\n');
    const answer = jsonLines(await invokeText(classifier, body, 'application/jsonlines')) as Array<{ label: string; probabilities: number[] }>;
    const fromCsv = cells(await invokeText(classifier, csv(ROWS), 'text/csv'));
    expect(answer).toEqual(fromCsv.map(([label, ...probs]) => ({ label, probabilities: probs.map(Number) })));
  });

  it('answers class indexes when the model names no classes', async () => {
    const path = await writeModel(dir, 'unnamed.onnx', classifierModel(W, B));
    const unnamed = await createHandlerTransport('onnx', { modelDir: path });
    try {
      const answer = jsonLines(await invokeText(unnamed, csv(ROWS), 'text/csv', 'application/jsonlines')) as Array<{ label: unknown }>;
      const argmax = (values: number[]) => values.indexOf(Math.max(...values));
      expect(answer.map((a) => a.label)).toEqual(ROWS.map((row) => argmax(linear(row))));
      expect(answer.map((a) => a.label)).toEqual([2, 1, 0, 0]);
    } finally {
      await unnamed.close();
    }
  });
});

describe('onnx handler: record shapes', () => {
  it('stacks nested records, reshapes flat ones to an input of fixed shape [N,2,2], and nests the outputs per record', async () => {
    // z = x * C, C = [[1, 10], [100, 1000]] broadcast over the batch: z is [N,2,2] too.
    const path = await writeModel(
      dir,
      'scale.onnx',
      onnxModel({
        inputs: [{ name: 'x', type: 'float32', shape: ['N', 2, 2] }],
        outputs: [{ name: 'z', type: 'float32', shape: ['N', 2, 2] }],
        nodes: [{ op: 'Mul', inputs: ['x', 'C'], outputs: ['z'] }],
        initializers: { C: { dims: [2, 2], values: [1, 10, 100, 1000] } },
      }),
    );
    const model = await createHandlerTransport('onnx', { modelDir: path });
    try {
      const nested = await invokeText(model, '{"inputs": [[1, 2], [3, 4]]}\n{"inputs": [[5, 6], [7, 8.5]]}\n', 'application/jsonlines');
      expect(nested).toBe('{"z":[[1,20],[300,4000]]}\n{"z":[[5,60],[700,8500]]}\n');
      expect(await invokeText(model, '1,2,3,4\n5,6,7,8.5\n', 'text/csv', 'application/jsonlines')).toBe(nested);
      expect(await invokeText(model, '{"inputs": [1, 2, 3, 4]}\n', 'application/jsonlines', 'text/csv')).toBe('1,20,300,4000\n');
      const response = await model.invoke(Buffer.from('{"inputs": [[1, 2, 3], [4, 5, 6]]}\n'), { contentType: 'application/jsonlines', timeoutMs: 5000 });
      expect(response.body.toString()).toBe("line 1 has shape [2,3]; the model's input 'x' takes [2,2] per record (shape [N,2,2])");
    } finally {
      await model.close();
    }
  });
});

describe('onnx handler: a model exported with a fixed batch size', () => {
  it('serves one record at a time, and says to use SingleRecord when a mini-batch has more', async () => {
    const path = await writeModel(
      dir,
      'batch-one.onnx',
      onnxModel({
        inputs: [{ name: 'x', type: 'float32', shape: [1, 2] }],
        outputs: [{ name: 'z', type: 'float32', shape: [1, 2] }],
        nodes: [{ op: 'Mul', inputs: ['x', 'C'], outputs: ['z'] }],
        initializers: { C: { dims: [2], values: [2, 3] } },
      }),
    );
    const model = await createHandlerTransport('onnx', { modelDir: path });
    try {
      expect(await invokeText(model, '1,2\n', 'text/csv')).toBe('2,6\n');
      const response = await model.invoke(Buffer.from('1,2\n3,4\n'), { contentType: 'text/csv', timeoutMs: 5000 });
      expect(response.body.toString()).toBe(
        "the model's input 'x' takes exactly 1 record per invocation (shape [1,2]) and this one has 2: run the job with BatchStrategy SingleRecord, or export the model with a free batch dimension",
      );
    } finally {
      await model.close();
    }
  });
});

describe('onnx handler: input element types', () => {
  it('feeds an int64 input from whole numbers, and refuses a fraction naming the row', async () => {
    const path = await writeModel(
      dir,
      'counts.onnx',
      onnxModel({
        inputs: [{ name: 'counts', type: 'int64', shape: ['N', 2] }],
        outputs: [{ name: 'as_float', type: 'float32', shape: ['N', 2] }],
        nodes: [{ op: 'Cast', inputs: ['counts'], outputs: ['as_float'], ints: { to: 1 } }],
      }),
    );
    const model = await createHandlerTransport('onnx', { modelDir: path });
    try {
      expect(await invokeText(model, '3,-4\n9007199254740991,0\n', 'text/csv')).toBe('3,-4\n9007199000000000,0\n');
      const response = await model.invoke(Buffer.from('1,2\n3,4.5\n'), { contentType: 'text/csv', timeoutMs: 5000 });
      expect(response.body.toString()).toBe("row 2: 4.5 is not a whole number in int64's range, and the model's input 'counts' is int64");
    } finally {
      await model.close();
    }
  });
});

describe('onnx handler: bad requests answer 400 over HTTP, naming the record and what to change', () => {
  let server: RunningModelServer;
  let http: ModelTransport;
  beforeAll(async () => {
    server = await startModelServer(onnxHandler, { port: 0, modelDir: classifierPath });
    http = createHttpTransport(server.url);
  });
  afterAll(async () => {
    await http?.close();
    await server?.close();
  });

  const cases: Array<[string, string, string | undefined, string]> = [
    ['a cell that is not a number', '1,2,3,4\n5,6,seven,8\n', 'text/csv', 'row 2, column 3: "seven" is not a number: the onnx handler reads rows of numbers with no header (drop other columns with DataProcessing.InputFilter, e.g. "$[1:]")'],
    ['a header row', 'bill_length,bill_depth,flipper,mass\n1,2,3,4\n', 'text/csv', 'row 1, column 1: "bill_length" is not a number'],
    ['an empty cell', '1,2,,4\n', 'text/csv', 'row 1, column 3: "" is not a number'],
    ['rows of different lengths', '1,2,3,4\n1,2,3\n', 'text/csv', 'row 2 has 3 values, row 1 has 4: each row is one record, and the records of a mini-batch must have the same number of columns'],
    ['rows narrower than the model takes', '1,2,3\n4,5,6\n', 'text/csv', "row 1 has 3 values; the model's input 'features' takes [4] per record (shape [N,4])"],
    ['an empty row', '1,2,3,4\n\n', 'text/csv', 'row 2 is empty: each row is one record of numbers, comma-separated'],
    ['a JSON Lines line that is not JSON', '{"inputs": [1,2,3,4]}\n{"inputs": [1,2\n', 'application/jsonlines', 'line 2 is not JSON: "{\\"inputs\\": [1,2"'],
    ['a JSON Lines record with a string', '{"inputs": [1,2,"3",4]}\n', 'application/jsonlines', 'line 1: inputs[2] is "3", not a number'],
    ['JSON Lines records of different shapes', '{"inputs": [1,2,3,4]}\n{"inputs": [1,2,3,4,5]}\n', 'application/jsonlines', 'line 2 has shape [5], line 1 has [4]: records are stacked along the first dimension'],
    ['a ragged JSON Lines record', '{"inputs": [[1,2],[3]]}', 'application/jsonlines', 'line 1: inputs[1] has length 1, expected 2: a record is a number or a rectangular array of numbers'],
    ['JSON records of different shapes', '{"inputs": [[1,2,3,4],[1,2]]}', 'application/json', 'inputs[1] has shape [2], inputs[0] has [4]: records are stacked along the first dimension'],
    ['a JSON body without inputs', '{"instances": [[1,2,3,4]]}', 'application/json', 'the body has no "inputs": expected {"inputs": [...]} (or a bare array)'],
    ['an unsupported Content-Type', '1,2,3,4', 'application/x-parquet', 'unsupported Content-Type application/x-parquet: send text/csv'],
  ];
  it.each(cases)('%s', async (_what, body, contentType, message) => {
    const response = await http.invoke(Buffer.from(body), { contentType, timeoutMs: 5000 });
    expect(response.body.toString()).toContain(message);
    expect(response.status).toBe(400);
  });

  it('an unsupported Accept', async () => {
    const response = await http.invoke(Buffer.from('1,2,3,4\n'), { contentType: 'text/csv', accept: 'application/x-recordio-protobuf', timeoutMs: 5000 });
    expect(response.status).toBe(400);
    expect(response.body.toString()).toBe('unsupported Accept application/x-recordio-protobuf: the onnx handler answers text/csv, application/jsonlines or application/json');
  });

  it('answers CSV for a CSV request that names no Accept', async () => {
    const response = await http.invoke(Buffer.from(csv(ROWS.slice(0, 1))), { contentType: 'text/csv', timeoutMs: 5000 });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(await invokeText(classifier, csv(ROWS.slice(0, 1)), 'text/csv', 'text/csv'));
    // ...and says so in its Content-Type, as it does for JSON Lines when the request was not CSV.
    const asked = (contentType: string, body: string) => fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect((await asked('text/csv', csv(ROWS.slice(0, 1)))).headers.get('content-type')).toBe('text/csv');
    expect((await asked('application/jsonlines', `${JSON.stringify({ inputs: ROWS[0] })}\n`)).headers.get('content-type')).toBe('application/jsonlines');
  });
});

describe('onnx handler: model artifacts it cannot serve', () => {
  it('names the files it found when the artifact holds no .onnx file, or several', async () => {
    const empty = join(dir, 'no-model');
    await mkdir(empty);
    await writeModel(empty, 'README.txt', new TextEncoder().encode('weights elsewhere'));
    await expect(createHandlerTransport('onnx', { modelDir: empty })).rejects.toThrow('no .onnx file in the model artifact (found README.txt): the onnx handler needs one .onnx file');
    const several = join(dir, 'several');
    await mkdir(join(several, 'v2'), { recursive: true });
    await writeModel(several, 'a.onnx', linearModel(W, B));
    await writeModel(join(several, 'v2'), 'b.onnx', linearModel(W, B));
    await expect(createHandlerTransport('onnx', { modelDir: several })).rejects.toThrow('2 .onnx files in the model artifact (a.onnx, v2/b.onnx): the onnx handler serves one model');
    await expect(createHandlerTransport('onnx')).rejects.toThrow('the onnx handler needs a model artifact');
  });

  it('refuses a model with two inputs, naming them', async () => {
    const path = await writeModel(
      dir,
      'two-inputs.onnx',
      onnxModel({
        inputs: [
          { name: 'a', type: 'float32', shape: ['N', 2] },
          { name: 'b', type: 'float32', shape: ['N', 2] },
        ],
        outputs: [{ name: 'sum', type: 'float32', shape: ['N', 2] }],
        nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] }],
      }),
    );
    await expect(createHandlerTransport('onnx', { modelDir: path })).rejects.toThrow(`${path} has 2 inputs (a, b): the onnx handler feeds a model with exactly one`);
  });

  it('answers 500 when an output has no batch dimension', async () => {
    const path = await writeModel(
      dir,
      'total.onnx',
      onnxModel({
        inputs: [{ name: 'x', type: 'float32', shape: ['N', 2] }],
        outputs: [{ name: 'total', type: 'float32', shape: [] }],
        nodes: [{ op: 'ReduceSum', inputs: ['x'], outputs: ['total'], ints: { keepdims: 0 } }],
      }),
    );
    const model = await createHandlerTransport('onnx', { modelDir: path });
    try {
      const response = await model.invoke(Buffer.from('1,2\n3,4\n'), { contentType: 'text/csv', timeoutMs: 5000 });
      expect(response.status).toBe(500);
      expect(response.body.toString()).toBe(
        "the model's output 'total' has shape []: the onnx handler answers per record, so each output's first dimension must be the batch (2 records in this mini-batch)",
      );
    } finally {
      await model.close();
    }
  });
});
