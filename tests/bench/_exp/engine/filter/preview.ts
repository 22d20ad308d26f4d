/** How many bytes of a record a message quotes: enough to recognise it, short enough for a log line. */
export const PREVIEW_BYTES = 100;

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The first bytes of a record for an error message, on one line: control characters escaped,
 * "…" when cut short, `(empty)` for nothing.
 */
export function preview(bytes: Buffer): string {
  if (bytes.length === 0) return '(empty)';
  const cut = bytes.length > PREVIEW_BYTES;
  let text = bytes.subarray(0, PREVIEW_BYTES).toString('utf8');
  // A cut through a multi-byte character decodes as U+FFFD: drop it rather than show noise.
  if (cut) text = text.replace(/\uFFFD+$/, '');
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  text = text.replace(/[\u0000-\u001f\u007f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return cut ? `${text}…` : text;
}
