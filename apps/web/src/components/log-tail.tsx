'use client';
import { useEffect, useRef, useState } from 'react';
import { LOG_LEVELS, type JobLogEntry, type LogLevelName } from '@sluice/contracts';
import { errorMessage, formatTime } from '@/lib/format';
import { useDebounced } from '@/lib/use-debounced';
import { useTRPCClient } from '@/trpc/client';

const POLL_MS = 2_000;
/** Older lines are dropped past this, so a long job's tail does not grow the page without end. */
const MAX_LINES = 2_000;
const LEVEL_TONE: Record<LogLevelName, string> = { debug: 'text-slate-400', info: 'text-sky-300', warn: 'text-amber-300', error: 'text-red-300' };

/**
 * The job's log, followed with the `after` cursor while the job runs. It keeps the newest line in
 * view unless the reader has scrolled up to read something.
 */
export function LogTail({ name, live }: { name: string; live: boolean }) {
  const client = useTRPCClient();
  const [level, setLevel] = useState<LogLevelName | ''>('');
  const [search, setSearch] = useState('');
  const settledSearch = useDebounced(search);
  const [entries, setEntries] = useState<JobLogEntry[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    let cancelled = false;
    let after: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setEntries([]);
    setLoaded(false);
    const poll = async () => {
      try {
        // Drain what is there (pages of 500), then wait for more.
        for (;;) {
          const page = await client.logs.list.query({ name, limit: 500, ...(after !== undefined ? { after } : {}), ...(level ? { level } : {}), ...(settledSearch.trim() ? { search: settledSearch.trim() } : {}) });
          if (cancelled) return;
          if (page.nextCursor !== null) after = Number(page.nextCursor);
          if (page.items.length) setEntries((old) => [...old, ...page.items].slice(-MAX_LINES));
          if (page.items.length < 500) break;
        }
        setFailure(null);
      } catch (error) {
        if (!cancelled) setFailure(error);
      }
      if (cancelled) return;
      setLoaded(true);
      if (live) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, name, level, settledSearch, live]);

  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [entries]);

  const field = 'mt-1 block rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900';
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm font-medium text-slate-800">
          Level
          <select value={level} onChange={(e) => setLevel(e.target.value as LogLevelName | '')} className={field}>
            <option value="">All levels</option>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          Search the log
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="text in a message" className={`${field} w-64 max-w-full`} />
        </label>
        {live && <span className="pb-2 text-sm text-slate-700">Following the log…</span>}
      </div>
      {failure !== null && (
        <p role="alert" className="text-sm text-red-800">
          Could not load the log: {errorMessage(failure)}
        </p>
      )}
      <div
        ref={box}
        role="log"
        aria-label="Job log"
        aria-live="off"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        className="h-80 overflow-auto rounded-lg bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100"
      >
        {!loaded ? (
          <p className="text-slate-300">Loading the log…</p>
        ) : entries.length === 0 ? (
          <p className="text-slate-300">{level || settledSearch ? 'No log lines match.' : 'No log lines yet.'}</p>
        ) : (
          entries.map((entry) => (
            <div key={entry.id} className="whitespace-pre-wrap break-words" data-level={entry.level}>
              <span className="text-slate-400">{formatTime(entry.time)}</span> <span className={`inline-block w-12 font-semibold uppercase ${LEVEL_TONE[entry.level]}`}>{entry.level}</span> {entry.message}
            </div>
          ))
        )}
      </div>
    </div>
  );
}
