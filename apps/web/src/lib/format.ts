// How numbers, sizes, times and durations read on the dashboard.

const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return integer.format(n);
}

/** `1.0 MiB`, `16 MiB`: the one formatBytes, shared with the CLI and the engine's messages. */
export { formatBytes } from '@sluice/params';

/** `1h 02m`, `3m 07s`, `12s`, `850 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** The job's run time: start to end, or start to now while it runs. */
export function jobDurationMs(job: { transformStartTime: Date | null; transformEndTime: Date | null }, now = Date.now()): number | null {
  if (!job.transformStartTime) return null;
  return (job.transformEndTime?.getTime() ?? now) - job.transformStartTime.getTime();
}

const dateTime = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const shortDateTime = new Intl.DateTimeFormat('en-GB', { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatDateTime(date: Date | null | undefined): string {
  return date ? dateTime.format(date) : '—';
}

/** `22 Nov, 03:18` for tables: the full time is in the cell's title. */
export function formatShortDateTime(date: Date | null | undefined): string {
  return date ? shortDateTime.format(date) : '—';
}

export function formatTime(date: Date): string {
  return timeOnly.format(date);
}

export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.round((part / whole) * 1000) / 10);
}

/** What went wrong, in the words the API chose: never a stack trace. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' && error.message.trim()) {
    const message = error.message.trim();
    // A response that was not the API's JSON (a proxy's HTML page, a dropped connection).
    if (/Unexpected token|JSON|Failed to fetch|fetch failed/i.test(message)) return 'The Sluice API could not be reached. Check that the server is running, then try again.';
    return message.split('\n')[0]!;
  }
  return 'Something went wrong. Try again.';
}
