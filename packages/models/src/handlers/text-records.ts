import { HandlerInputError, isJsonLines, mediaType, splitLines } from '../handler.js';

/** One language guess per text record: the shape both language-identification handlers answer. */
export interface LanguageGuess {
  /** ISO 639-3 code (`eng`, `fra`, `cmn`...); `und` when the text is too short or has no letters to judge. */
  label: string;
  /** 0..1: how sure the handler is (see each handler for what it means). */
  probability: number;
}

/**
 * The texts of a language-identification mini-batch, one per record:
 * - `text/plain`, any other `text/*` type, or no Content-Type: each line is a text;
 * - `application/jsonlines`: each line is `{"text": "..."}` (other fields ignored) or a JSON string;
 * - `application/json`: one such value, or an array of them.
 */
export function textRecords(body: Buffer, contentType: string | undefined): string[] {
  const type = mediaType(contentType);
  if (type === undefined || type.startsWith('text/')) return splitLines(body);
  if (isJsonLines(type)) return splitLines(body).map((line, i) => textOf(parse(line, `line ${i + 1}`), `line ${i + 1}`));
  if (type === 'application/json') {
    const value = parse(body.toString('utf8'), 'the body');
    return Array.isArray(value) ? value.map((v, i) => textOf(v, `element ${i}`)) : [textOf(value, 'the body')];
  }
  throw new HandlerInputError(`unsupported Content-Type ${contentType}: send text/plain (one text per line), application/jsonlines ({"text": ...} per line) or application/json`);
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HandlerInputError(`${where} is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

function textOf(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string') return (value as { text: string }).text;
  throw new HandlerInputError(`${where} has no text: expected {"text": "..."} or a JSON string`);
}
