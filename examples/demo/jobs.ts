// The demo's transform jobs: the same parameters a user would give `sluice jobs create` or
// SageMaker's CreateTransformJob, over the data examples/data builds.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nameFromBase, type TCreateJob } from '@sluice/sdk';
import type { DemoData } from '../data/demo-data.js';
import type { DemoModels } from './models.js';
import { scoreLanguageId, scoreOcr, scorePenguins, type Score } from './scoring.js';

export interface DemoJob {
  /** For people: what the job does. */
  title: string;
  request: TCreateJob & { name: string };
  /** Records in its input, known from the data: the progress bar's total. */
  records: number;
  outputDir: string;
  score(): Promise<Score>;
}

/** A directory as a `file://` prefix (with the trailing slash a prefix needs). */
const prefix = (dir: string) => `${pathToFileURL(dir).href}/`;

export function demoJobs(data: DemoData, models: DemoModels, outputRoot: string, at = new Date()): DemoJob[] {
  const job = (base: string, title: string, modelName: string, input: string, records: number, transform: TCreateJob['transform'], score: (outputDir: string) => Promise<Score>, extra: Partial<TCreateJob> = {}): DemoJob => {
    // Timestamped names, as the SageMaker SDK makes them: a second run adds to the history.
    const name = nameFromBase(`demo-${base}`, at);
    const outputDir = join(outputRoot, name);
    return { title, records, outputDir, score: () => score(outputDir), request: { name, modelName, input: { uri: prefix(input) }, output: { uri: prefix(outputDir) }, transform, ...extra } };
  };

  // Language identification over JSON Lines: InputFilter sends only the text to the model,
  // JoinSource Input writes each whole record back with the guess under SageMakerOutput.
  const languageId: TCreateJob['transform'] = {
    contentType: 'application/jsonlines',
    accept: 'application/jsonlines',
    splitType: 'Line',
    assembleWith: 'Line',
    batchStrategy: 'MultiRecord',
    dataProcessing: { inputFilter: '$.text', joinSource: 'Input' },
  };
  const jobs = [
    job('udhr-fasttext', 'UDHR langid, fastText', models.fasttext, data.udhr.input, data.udhr.records, languageId, (out) => scoreLanguageId(out, data.udhr.objects), { instanceCount: 2 }),
    job('udhr-franc', 'UDHR langid, franc', models.franc, data.udhr.input, data.udhr.records, languageId, (out) => scoreLanguageId(out, data.udhr.objects), { instanceCount: 2 }),
    // SageMaker's CSV example: the id column is kept out of the model's input ($[1:]) and the
    // prediction (species, then the three probabilities) is appended to each input row.
    job(
      'penguins',
      'penguins, ONNX',
      models.penguins,
      data.penguins.input,
      data.penguins.records,
      {
        contentType: 'text/csv',
        accept: 'text/csv',
        splitType: 'Line',
        assembleWith: 'Line',
        batchStrategy: 'MultiRecord',
        dataProcessing: { inputFilter: '$[1:]', joinSource: 'Input' },
      },
      (out) => scorePenguins(out, data.penguins.objects, data.penguins.truth),
    ),
  ];
  if (models.ocr) {
    // One image per object, read whole (SplitType None); the model answers the text it read.
    jobs.push(
      job('ocr', 'OCR, PaddleOCR', models.ocr, data.ocr.input, data.ocr.images.length, { contentType: 'image/png', accept: 'text/plain', splitType: 'None' }, (out) =>
        scoreOcr(out, data.ocr.truth, data.ocr.images),
      { instanceCount: 2 }),
    );
  }
  return jobs;
}
