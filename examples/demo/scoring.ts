// Each demo job's outputs read back and compared with the truth the data came with: what a user
// would check to believe the predictions.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSameLanguage, UDHR_LANGUAGES } from '../data/udhr-paragraphs.js';

export interface Score {
  right: number;
  total: number;
  /** What `right` counts, for the summary ("paragraphs whose language", "penguins whose species"...). */
  what: string;
  /** One output record, as written, to show what the output looks like. */
  sample: string;
  /** The prediction for each record by id, to compare variants. */
  predictions: Map<string, string>;
  /** A further figure worth a line (OCR's character accuracy). */
  note?: string;
}

async function outputLines(outputDir: string, object: string): Promise<string[]> {
  const file = join(outputDir, `${object}.out`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`the job completed but its output ${file} cannot be read: ${(error as Error).message}`);
  }
  return text.split('\n').filter((line) => line !== '');
}

/** JoinSource Input output: each UDHR record with the model's guess under SageMakerOutput. */
export async function scoreLanguageId(outputDir: string, objects: readonly string[]): Promise<Score> {
  const languages = new Map(UDHR_LANGUAGES.map((l) => [l.iso6393, l]));
  const predictions = new Map<string, string>();
  let right = 0;
  let sample = '';
  for (const object of objects) {
    for (const line of await outputLines(outputDir, object)) {
      const record = JSON.parse(line) as { id: string; lang: string; SageMakerOutput?: { label?: string } };
      const label = record.SageMakerOutput?.label;
      if (typeof label !== 'string') throw new Error(`${object}.out: record ${record.id} has no SageMakerOutput.label: ${line.slice(0, 200)}`);
      predictions.set(record.id, label);
      if (isSameLanguage(languages.get(record.lang) ?? { iso6393: record.lang }, label)) right++;
      sample ||= shortened(line);
    }
  }
  return { right, total: predictions.size, what: 'paragraphs in their true language', sample, predictions };
}

/** The record as written, its text cut to a few words so that it fits on a line. */
function shortened(line: string): string {
  const record = JSON.parse(line) as { text?: string };
  if (typeof record.text !== 'string' || record.text.length <= 40) return line;
  return JSON.stringify({ ...record, text: `${record.text.slice(0, 40)}…` });
}

/** JoinSource Input CSV: `id,<4 features>,<label>,<3 probabilities>` per penguin. */
export async function scorePenguins(outputDir: string, objects: readonly string[], truthFile: string): Promise<Score> {
  const truth = new Map(
    (await readFile(truthFile, 'utf8'))
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((row) => row.split(',') as [string, string]),
  );
  const predictions = new Map<string, string>();
  let right = 0;
  let sample = '';
  for (const object of objects) {
    for (const line of await outputLines(outputDir, object)) {
      const fields = line.split(',');
      const [id, label] = [fields[0]!, fields[5]];
      if (label === undefined) throw new Error(`${object}.out: row ${id} has no predicted species after its 5 input columns: ${line}`);
      predictions.set(id, label);
      if (truth.get(id) === label) right++;
      sample ||= line;
    }
  }
  return { right, total: predictions.size, what: 'held-out penguins of their true species', sample, predictions };
}

/** One `.out` per image holding the text read (text/plain), against the rendered line. */
export async function scoreOcr(outputDir: string, truthFile: string, images: readonly string[]): Promise<Score> {
  const truth = new Map(
    (await readFile(truthFile, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { image: string; text: string })
      .map((t) => [t.image, t.text]),
  );
  const predictions = new Map<string, string>();
  let right = 0;
  let distance = 0;
  let characters = 0;
  let sample = '';
  for (const image of images) {
    const read = (await outputLines(outputDir, image)).join(' ').trim();
    const expected = truth.get(image) ?? '';
    predictions.set(image, read);
    if (read === expected) right++;
    distance += levenshtein(read, expected);
    characters += expected.length;
    sample ||= `${image}: ${read}`;
  }
  const note = `${(100 * (1 - distance / Math.max(characters, 1))).toFixed(1)}% of characters right`;
  return { right, total: images.length, what: 'lines read exactly', sample, predictions, note };
}

/** Edit distance in UTF-16 units: enough for the English lines the OCR reads. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
