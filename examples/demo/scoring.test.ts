import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levenshtein, scoreLanguageId, scoreOcr, scorePenguins } from './scoring.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-demo-scoring-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const joined = (id: string, lang: string, label: string) => JSON.stringify({ id, text: 'some text here', lang, SageMakerOutput: { label, probability: 0.9 } });

describe('scoring the demo jobs\' outputs', () => {
  it('counts a language guess right when it names the language or its macrolanguage (ara for arb), across objects', async () => {
    await writeFile(join(dir, 'a.jsonl.out'), `${joined('eng-001', 'eng', 'eng')}\n${joined('arb-001', 'arb', 'ara')}\n`);
    await writeFile(join(dir, 'b.jsonl.out'), `${joined('fra-001', 'fra', 'ita')}\n${joined('cmn-001', 'cmn', 'cmn')}\n`);
    const score = await scoreLanguageId(dir, ['a.jsonl', 'b.jsonl']);
    expect([score.right, score.total]).toEqual([3, 4]);
    expect(score.predictions.get('fra-001')).toBe('ita');
    expect(score.sample).toBe(joined('eng-001', 'eng', 'eng'));
  });

  it('names the object and the record when an output line has no prediction', async () => {
    await writeFile(join(dir, 'c.jsonl.out'), `${JSON.stringify({ id: 'eng-002', text: 'x', lang: 'eng' })}\n`);
    await expect(scoreLanguageId(dir, ['c.jsonl'])).rejects.toThrow('c.jsonl.out: record eng-002 has no SageMakerOutput.label');
    await expect(scoreLanguageId(dir, ['missing.jsonl'])).rejects.toThrow(`the job completed but its output ${join(dir, 'missing.jsonl.out')} cannot be read`);
  });

  it('reads the species after the five input columns of a joined CSV row', async () => {
    await writeFile(join(dir, 'truth.csv'), 'id,species\np001,Adelie\np002,Gentoo\n');
    await writeFile(join(dir, 'dream.csv.out'), 'p001,39.1,18.7,181,3750,Adelie,0.9,0.05,0.05\np002,46,14,210,5000,Chinstrap,0.1,0.8,0.1\n');
    const score = await scorePenguins(dir, ['dream.csv'], join(dir, 'truth.csv'));
    expect([score.right, score.total, score.predictions.get('p002')]).toEqual([1, 2, 'Chinstrap']);
  });

  it('counts OCR lines read exactly and the share of characters right', async () => {
    await writeFile(join(dir, 'ocr-truth.jsonl'), `${JSON.stringify({ image: 'l0.png', text: 'All human beings' })}\n${JSON.stringify({ image: 'l1.png', text: 'are born free' })}\n`);
    await writeFile(join(dir, 'l0.png.out'), 'All human beings\n');
    await writeFile(join(dir, 'l1.png.out'), 'areborn free');
    const score = await scoreOcr(dir, join(dir, 'ocr-truth.jsonl'), ['l0.png', 'l1.png']);
    expect([score.right, score.total]).toEqual([1, 2]);
    expect(score.note).toBe('96.6% of characters right'); // 1 edit in 29 characters
  });

  it('measures edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});
