'use client';

const button = 'rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-500';

export function Pagination({ page, hasPrevious, hasNext, busy, onPrevious, onNext }: { page: number; hasPrevious: boolean; hasNext: boolean; busy: boolean; onPrevious: () => void; onNext: () => void }) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2">
      <button type="button" className={button} onClick={onPrevious} disabled={!hasPrevious || busy}>
        ← Previous
      </button>
      <span className="text-sm text-slate-700" aria-live="polite">
        Page {page}
      </span>
      <button type="button" className={button} onClick={onNext} disabled={!hasNext || busy}>
        Next →
      </button>
    </nav>
  );
}
