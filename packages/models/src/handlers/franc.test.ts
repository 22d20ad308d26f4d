import { francAll } from 'franc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelTransport } from '@sluice/engine';
import { createHandlerTransport } from '../in-process.js';
import { invokeText, jsonLines } from '../test-support/invoke.js';
import { UDHR_SAMPLES } from '../test-support/udhr.js';

const texts = UDHR_SAMPLES.map(([, , text]) => text);

/** What franc itself says: its best code, and 1 − the runner-up's relative score. */
function direct(text: string): { label: string; probability: number } {
  const [best, second] = francAll(text);
  if (best![0] === 'und') return { label: 'und', probability: 0 };
  return { label: best![0], probability: second ? 1 - second[1] : 1 };
}

let transport: ModelTransport;
beforeAll(async () => {
  transport = await createHandlerTransport('franc');
});
afterAll(() => transport.close());

describe('franc handler', () => {
  it('answers, for a text/plain MultiRecord batch, one line per text equal to francAll called directly', async () => {
    const output = jsonLines(await invokeText(transport, `${texts.join('\n')}\n`, 'text/plain'));
    expect(output).toHaveLength(texts.length);
    expect(output).toEqual(texts.map(direct));
  });

  it('labels the UDHR translations with their ISO 639-3 codes', async () => {
    const article1 = UDHR_SAMPLES.filter(([, article]) => article === 1);
    const output = jsonLines(await invokeText(transport, article1.map(([, , t]) => t).join('\n'), 'text/plain')) as Array<{ label: string }>;
    const right = output.filter((guess, i) => guess.label === article1[i]![0]);
    // franc is right on nearly all of these; which ones it misses is franc's business, not ours.
    expect(right.length).toBeGreaterThanOrEqual(article1.length - 2);
    expect(output[0]).toMatchObject({ label: 'eng' });
  });

  it('reads JSON Lines {"text": ...} records and answers the same guesses', async () => {
    const body = texts.slice(0, 6).map((text, i) => JSON.stringify({ id: i, text })).join('\n');
    const output = jsonLines(await invokeText(transport, body, 'application/jsonlines'));
    expect(output).toEqual(texts.slice(0, 6).map(direct));
  });

  it('answers und with probability 0 for a text too short to judge, keeping the line count', async () => {
    const output = jsonLines(await invokeText(transport, 'hi\n\nAll human beings are born free and equal in dignity and rights.\n', 'text/plain'));
    expect(output).toEqual([{ label: 'und', probability: 0 }, { label: 'und', probability: 0 }, direct('All human beings are born free and equal in dignity and rights.')]);
  });

  it('writes label,probability rows for Accept text/csv', async () => {
    const text = await invokeText(transport, texts.slice(0, 2).join('\n'), 'text/plain', 'text/csv');
    expect(text).toBe(texts.slice(0, 2).map((t) => `${direct(t).label},${direct(t).probability}\n`).join(''));
  });

  it('answers 500 naming the problem for a record that is not JSON', async () => {
    const response = await transport.invoke(Buffer.from('{"text":"ok fine text here"}\nnot json\n'), { contentType: 'application/jsonlines', timeoutMs: 5000 });
    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe('line 2 is not JSON: "not json"');
  });
});
