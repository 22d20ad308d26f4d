import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ocr from '@gutenye/ocr-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type ModelTransport } from '@sluice/engine';
import { createHandlerTransport } from '../in-process.js';
import { startModelServer, type RunningModelServer } from '../server.js';
import { sharedHostSessionOptions } from './onnx-session-options.js';
import paddleOcr, { ocrSharp, type OcrLine } from './paddle-ocr.js';

// DejaVu Sans ships as a file in an npm package (a dependency of the examples): no system fonts needed.
const FONT = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** The part of sharp the test renders with (ocr-node's own sharp, as the handler decodes with). */
interface Renderer {
  (options: { text: { text: string; fontfile: string; font: string; dpi: number } }): RenderPipeline;
}
interface RenderPipeline {
  negate(): RenderPipeline;
  extend(options: { top: number; bottom: number; left: number; right: number; background: string }): RenderPipeline;
  flatten(options: { background: string }): RenderPipeline;
  png(): RenderPipeline;
  jpeg(options: { quality: number }): RenderPipeline;
  toBuffer(): Promise<Buffer>;
}

/** Black text on white, as a scanned line of print: sharp renders white on transparent, hence negate. */
function render(text: string, format: 'png' | 'jpeg'): Promise<Buffer> {
  const image = (ocrSharp() as Renderer)({ text: { text, fontfile: FONT, font: 'DejaVu Sans', dpi: 200 } })
    .negate()
    .extend({ top: 24, bottom: 24, left: 24, right: 24, background: 'white' })
    .flatten({ background: 'white' });
  return (format === 'png' ? image.png() : image.jpeg({ quality: 90 })).toBuffer();
}

const TEXTS = ['All human beings are born free', 'Sluice reads every line', 'Equal in dignity and rights\nThey are endowed with reason'];

interface Detected {
  text: string;
  mean: number;
  box: number[][];
}

let dir: string;
let transport: ModelTransport;
let direct: { detect(path: string): Promise<Detected[]> };
const images: Array<{ text: string; png: Buffer; jpeg: Buffer; path: string }> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-ocr-'));
  // ocr-node called directly, with the handler's session options (thread counts change the last
  // bits of the confidences), on image files: its documented use.
  [transport, direct] = await Promise.all([createHandlerTransport('paddle-ocr'), Ocr.create({ onnxOptions: sharedHostSessionOptions() }) as Promise<typeof direct>]);
  for (const [i, text] of TEXTS.entries()) {
    const [png, jpeg] = await Promise.all([render(text, 'png'), render(text, 'jpeg')]);
    const path = join(dir, `line-${i}.png`);
    await writeFile(path, png);
    images.push({ text, png, jpeg, path });
  }
});
afterAll(async () => {
  await transport?.close();
  await rm(dir, { recursive: true, force: true });
});

async function invoke(target: ModelTransport, body: Buffer, contentType?: string, accept?: string): Promise<{ status: number; text: string }> {
  const response = await target.invoke(body, { contentType, accept, timeoutMs: 60_000 });
  return { status: response.status, text: response.body.toString('utf8') };
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('paddle-ocr handler', () => {
  it('answers {"lines": [...]} equal to ocr-node called directly on the same image, reading the rendered text', async () => {
    for (const image of images) {
      const answer = await invoke(transport, image.png, 'image/png');
      expect(answer.status).toBe(200);
      const expected = (await direct.detect(image.path)).map((line) => ({ text: line.text, confidence: line.mean, box: line.box }));
      expect(JSON.parse(answer.text)).toEqual({ lines: expected });
      expect(answer.text).toBe(`${JSON.stringify({ lines: expected })}\n`);

      const lines = (JSON.parse(answer.text) as { lines: OcrLine[] }).lines;
      // PP-OCR sometimes drops the narrow gap between two words: the letters are what must match.
      expect(lines.map((line) => squeeze(line.text))).toEqual(image.text.split('\n').map(squeeze));
      for (const line of lines) {
        expect(line.confidence).toBeGreaterThan(0.9);
        expect(line.box).toHaveLength(4);
      }
    }
    const first = JSON.parse((await invoke(transport, images[0]!.png, 'image/png')).text) as { lines: OcrLine[] };
    expect(first.lines.map((l) => l.text)).toEqual(['All human beings are born free']);
  });

  it('reads JPEG, sniffed from the bytes when the Content-Type is application/octet-stream or absent', async () => {
    const jpeg = images[0]!.jpeg;
    const labelled = await invoke(transport, jpeg, 'image/jpeg');
    expect(labelled.status).toBe(200);
    expect(squeeze((JSON.parse(labelled.text) as { lines: OcrLine[] }).lines[0]!.text)).toBe(squeeze(TEXTS[0]!));
    expect(await invoke(transport, jpeg, 'application/octet-stream')).toEqual(labelled);
    expect(await invoke(transport, jpeg)).toEqual(labelled);
  });

  it("answers text/plain as the lines' text joined by newlines", async () => {
    const image = images[2]!;
    const json = JSON.parse((await invoke(transport, image.png, 'image/png')).text) as { lines: OcrLine[] };
    const plain = await invoke(transport, image.png, 'image/png', 'text/plain');
    expect(plain).toEqual({ status: 200, text: json.lines.map((l) => l.text).join('\n') });
    expect(plain.text.split('\n')).toHaveLength(2);
  });
});

describe('paddle-ocr handler over HTTP: bad images answer 400 naming the problem', () => {
  let server: RunningModelServer;
  let http: ModelTransport;
  beforeAll(async () => {
    server = await startModelServer(paddleOcr, { port: 0 });
    http = createHttpTransport(server.url);
  });
  afterAll(async () => {
    await http?.close();
    await server?.close();
  });

  it('a truncated PNG', async () => {
    const png = images[0]!.png;
    expect(await invoke(http, png.subarray(0, Math.floor(png.length / 2)), 'image/png')).toEqual({
      status: 400,
      text: expect.stringMatching(/^the PNG image cannot be decoded \(.+\): send whole, uncorrupted images$/) as unknown as string,
    });
  });

  it('a body that is no image', async () => {
    expect(await invoke(http, Buffer.from('id,text\n1,hello\n'), 'application/octet-stream')).toEqual({
      status: 400,
      text: 'the body is not a PNG or JPEG image (it starts with 69642c746578740a): send one whole image per invocation (SplitType None)',
    });
  });

  it('an unsupported Content-Type or Accept', async () => {
    expect(await invoke(http, images[0]!.png, 'text/csv')).toEqual({
      status: 400,
      text: 'unsupported Content-Type text/csv: send one image per invocation (SplitType None) as image/png or image/jpeg (or application/octet-stream)',
    });
    expect(await invoke(http, images[0]!.png, 'image/png', 'text/csv')).toEqual({ status: 400, text: 'unsupported Accept text/csv: the paddle-ocr handler answers application/json or text/plain' });
  });

  it('still reads a good image over HTTP as in-process', async () => {
    expect(await invoke(http, images[1]!.png, 'image/png')).toEqual(await invoke(transport, images[1]!.png, 'image/png'));
  });
});
