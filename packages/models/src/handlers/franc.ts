import { francAll } from 'franc';
import type { Handler } from '../handler.js';
import { textRecords, type LanguageGuess } from './text-records.js';

/**
 * franc's trigram language identification, as a built-in handler (`--builtin franc`).
 *
 * In: text/plain (one text per line), application/jsonlines (`{"text": ...}` per line) or
 * application/json. Out: one `{"label":"eng","probability":0.19}` per text, as JSON Lines
 * (default), a JSON array (application/json) or `label,probability` rows (text/csv).
 *
 * `label` is franc's ISO 639-3 code, `und` for a text shorter than 10 characters or without
 * letters. franc scores each candidate relative to the best (the best always scores 1), so
 * `probability` is its margin: 1 − the runner-up's score (1 when the script leaves a single
 * candidate, 0 for `und`). It ranks franc's confidence; it is not calibrated like fastText's.
 */
export function francGuess(text: string): LanguageGuess {
  const ranked = francAll(text);
  const [best, second] = ranked;
  if (!best || best[0] === 'und') return { label: 'und', probability: 0 };
  return { label: best[0], probability: second ? 1 - second[1] : 1 };
}

const franc: Handler<undefined, string[], LanguageGuess[]> = {
  inputFn: textRecords,
  predictFn: (texts) => texts.map(francGuess),
};

export default franc;
