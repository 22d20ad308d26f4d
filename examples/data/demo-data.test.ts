import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPenguins, splitPenguins } from '../tabular/penguins.js';
import { buildDemoData, OCR_IMAGES, type DemoData, type UdhrRecord } from './demo-data.js';
import { plainText, UDHR_LANGUAGES } from './udhr-paragraphs.js';

let dir: string;
let data: DemoData;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-demo-data-'));
  data = await buildDemoData(join(dir, 'data'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every file under `root` with the SHA-256 of its bytes, by relative path. */
async function fingerprint(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(root, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return files;
}

async function udhrRecords(): Promise<UdhrRecord[]> {
  const records: UdhrRecord[] = [];
  for (const object of data.udhr.objects) {
    const text = await readFile(join(data.udhr.input, object), 'utf8');
    expect(text.endsWith('\n'), `${object} ends with a newline`).toBe(true);
    for (const line of text.slice(0, -1).split('\n')) records.push(JSON.parse(line) as UdhrRecord);
  }
  return records;
}

describe('the demo data', () => {
  it('holds a few thousand UDHR paragraphs in 4 JSON Lines objects, ~60 for each of 40 languages, ids unique', async () => {
    const records = await udhrRecords();
    expect(data.udhr.objects).toEqual(['part-1.jsonl', 'part-2.jsonl', 'part-3.jsonl', 'part-4.jsonl']);
    expect(records).toHaveLength(data.udhr.records);
    expect(records.length).toBeGreaterThan(2000);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const perLanguage = new Map<string, number>();
    for (const record of records) {
      expect(Object.keys(record)).toEqual(['id', 'text', 'lang']);
      expect(record.text).not.toMatch(/[<>]|&[a-z#0-9]+;|\s{2}|^\s|\s$/);
      expect([...record.text].length).toBeGreaterThanOrEqual(10);
      perLanguage.set(record.lang, (perLanguage.get(record.lang) ?? 0) + 1);
    }
    expect([...perLanguage.keys()].sort()).toEqual(UDHR_LANGUAGES.map((l) => l.iso6393).sort());
    for (const [lang, count] of perLanguage) expect(count, lang).toBeGreaterThanOrEqual(45);
    expect(records[0]).toEqual({
      id: 'eng-001',
      text: 'Whereas recognition of the inherent dignity and of the equal and inalienable rights of all members of the human family is the foundation of freedom, justice and peace in the world,',
      lang: 'eng',
    });
    expect(records.find((r) => r.id === 'fra-010')?.text).toBe('Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité.');
  });

  it('writes the 114 held-out penguins (none the model trained on) as headerless CSV by island, with their species beside', async () => {
    const { train, heldOut } = splitPenguins(await loadPenguins());
    expect(data.penguins.objects).toEqual(['biscoe.csv', 'dream.csv', 'torgersen.csv']);
    const rows: string[][] = [];
    for (const object of data.penguins.objects) {
      const text = await readFile(join(data.penguins.input, object), 'utf8');
      rows.push(...text.trimEnd().split('\n').map((line) => line.split(',')));
    }
    expect(rows).toHaveLength(114);
    expect(rows.every((row) => row.length === 5 && row.slice(1).every((v) => Number.isFinite(Number(v))))).toBe(true);
    const trainIds = new Set(train.map((p) => p.id));
    expect(rows.filter((row) => trainIds.has(row[0]!))).toEqual([]);
    expect(rows.map((row) => row[0]).sort()).toEqual(heldOut.map((p) => p.id).sort());
    const truth = (await readFile(data.penguins.truth, 'utf8')).trimEnd().split('\n');
    expect(truth[0]).toBe('id,species');
    expect(truth.slice(1)).toEqual(heldOut.map((p) => `${p.id},${p.species}`));
  });

  it('renders 200 text lines as PNGs that decode to dark text on a white page, with the text in truth.jsonl', async () => {
    expect(data.ocr.images).toHaveLength(OCR_IMAGES);
    expect((await readdir(data.ocr.input)).sort()).toEqual(data.ocr.images);
    const truth = (await readFile(data.ocr.truth, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { image: string; text: string });
    expect(truth.map((t) => t.image)).toEqual(data.ocr.images);
    expect(truth[0]!.text).toBe('Whereas recognition of the inherent');
    expect(truth.every((t) => t.text.length > 0 && t.text.length <= 40)).toBe(true);
    for (const image of [data.ocr.images[0]!, data.ocr.images[199]!]) {
      const { data: pixels, info } = await sharp(join(data.ocr.input, image)).greyscale().raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBeGreaterThan(200);
      expect(info.height).toBeGreaterThanOrEqual(60);
      expect(pixels[0]).toBe(255); // the margin is white
      const dark = pixels.filter((v) => v < 100).length;
      expect(dark / pixels.length).toBeGreaterThan(0.02); // there is ink
      expect(dark / pixels.length).toBeLessThan(0.3); // but it is not a dark page
    }
  });

  it('writes the same bytes on a second run', async () => {
    const first = await fingerprint(data.root);
    expect(Object.keys(first)).toHaveLength(4 + 3 + 1 + 200 + 1);
    await buildDemoData(data.root);
    expect(await fingerprint(data.root)).toEqual(first);
  });
});

describe('plainText', () => {
  it('drops markup, decodes entities and collapses whitespace', () => {
    expect(plainText(' Tom &amp; <b>Jerry</b>&#8217;s<br/>dog\n  &#x41;&nbsp;b &unknown; ')).toBe('Tom & Jerry’s dog A b &unknown;');
  });
});
