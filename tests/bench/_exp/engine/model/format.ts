/** Small formatting helpers for the messages this folder writes. */

/** Milliseconds as seconds for a message: 600000 → "600 s", 250 → "0.25 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The longest delay setTimeout accepts; beyond it Node fires after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay setTimeout will honour: an infinite or oversized limit becomes "about 24 days". */
export function timerDelay(ms: number): number {
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_TIMER_MS) : MAX_TIMER_MS;
}

/**
 * The first `max` bytes of a model's answer as readable text: control characters escaped (a
 * binary or multi-line body stays on one line of a log or FailureReason), "…" when cut short.
 */
export function bodyText(head: Buffer, totalLength: number): string {
  if (totalLength === 0) return '(empty body)';
  const text = head
    .toString('utf8')
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return totalLength > head.length ? `${text}…` : text;
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
