/** Formatting for people; --json output never goes through here. */

/** `1.0 MiB`, `16 MiB`: the one formatBytes, shared with the dashboard and the engine's messages. */
export { formatBytes } from '@sluice/params';

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `2026-11-22 02:10:15Z`: UTC, to the second. */
export function formatTime(time: Date | null | undefined): string {
  return time ? `${time.toISOString().slice(0, 19).replace('T', ' ')}Z` : '-';
}

/** `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** From `start` to `end`, or to now while it runs. */
export function elapsed(start: Date | null, end: Date | null): string {
  return start ? formatDuration((end ?? new Date()).getTime() - start.getTime()) : '-';
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
