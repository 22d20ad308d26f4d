import { percent } from '@/lib/format';

/** A labelled progressbar: the numbers are in the text too, not only in the bar's width. */
export function ProgressBar({ label, value, max, detail, failed = 0 }: { label: string; value: number; max: number; detail: string; failed?: number }) {
  const pct = percent(value, max);
  const failedPct = percent(failed, max);
  return (
    <div>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-900">{label}</span>
        <span className="tabular-nums text-slate-700">
          {detail} · <span data-testid={`progress-${label.toLowerCase()}`}>{pct}%</span>
        </span>
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`${pct}% (${detail})`} className="mt-1 flex h-2.5 overflow-hidden rounded-full bg-slate-200">
        <div className="bg-blue-700 transition-[width]" style={{ width: `${pct}%` }} />
        {failedPct > 0 && <div className="bg-red-600" style={{ width: `${failedPct}%` }} />}
      </div>
    </div>
  );
}
