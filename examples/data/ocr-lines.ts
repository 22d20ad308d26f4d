// Text-line images for OCR: lines of the English UDHR rendered with sharp (librsvg/Pango) in
// DejaVu Sans from the dejavu-fonts-ttf npm package, dark text on white, as a scanner would give.
import { createRequire } from 'node:module';
import sharp from 'sharp';

/** Lines at most this long: one line of a printed page, which PaddleOCR reads as one text box. */
export const MAX_LINE_CHARS = 40;

/** The paragraphs' words, greedily packed into lines of at most `max` characters (a longer word gets its own line). */
export function wrapLines(paragraphs: readonly string[], max = MAX_LINE_CHARS): string[] {
  const lines: string[] = [];
  for (const paragraph of paragraphs) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + word.length > max) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    if (line !== '') lines.push(line);
  }
  return lines;
}

const require = createRequire(import.meta.url);
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/**
 * One line as a PNG: 200 dpi, 20 px white margins (at 150 dpi PaddleOCR misses a space in a
 * quarter of the lines; at 200 in one line of twenty). sharp renders text as white on black (an
 * alpha mask), so it is negated first; the margins are added in a second pass because sharp
 * applies `extend` before `negate` in one pipeline, which would turn them black.
 */
export async function renderLine(text: string): Promise<Buffer> {
  // The text is Pango markup: &, < and > must be escaped to be drawn as themselves.
  const markup = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inked = await sharp({ text: { text: markup, fontfile: FONT_FILE, font: 'DejaVu Sans', dpi: 200 } })
    .negate({ alpha: false })
    .png()
    .toBuffer();
  return sharp(inked).extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#ffffff' }).png().toBuffer();
}
