'use client';
import { useId, useState } from 'react';
import type { ComparisonResults } from '@sluice/contracts';
import { formatShare } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';
import { EmptyState } from './empty-state';

export interface ConfusionMatrix {
  id: string;
  title: string;
  rowsAre: string;
  columnsAre: string;
  labels: string[];
  counts: number[][];
  /** The service keeps this many distinct labels apart; the rest share `(other)`. */
  labelCap?: number | undefined;
}

/** Every matrix the results hold: each pair's (rows: the first variant's labels), then each variant against the truth. */
export function confusionMatrices(results: ComparisonResults, names: string[]): ConfusionMatrix[] {
  const pairs = results.pairs.flatMap((p) =>
    p.confusion ? [{ id: `pair-${p.a}-${p.b}`, title: `${names[p.a]} vs ${names[p.b]}`, rowsAre: `${names[p.a]}'s label`, columnsAre: `${names[p.b]}'s label`, ...p.confusion }] : [],
  );
  const truth = (results.truthConfusion ?? []).map((m, i) => ({ id: `truth-${i}`, title: `${names[i]} vs ground truth`, rowsAre: 'true label', columnsAre: `${names[i]}'s label`, ...m }));
  return [...truth, ...pairs].map((m) => ({ ...m, labelCap: results.labelCap }));
}

/** More labels than this and the rest (the least frequent: the service sorts them) share one row and column. */
const MAX_SHOWN = 30;

/** The matrix with its labels past `keep` merged into one `… N more` label, so it stays readable on a screen. */
export function foldMatrix(labels: string[], counts: number[][], keep = MAX_SHOWN): { labels: string[]; counts: number[][] } {
  if (labels.length <= keep) return { labels, counts };
  const kept = keep - 1;
  const at = (i: number) => Math.min(i, kept);
  const folded = Array.from({ length: keep }, () => new Array<number>(keep).fill(0));
  counts.forEach((row, i) => row.forEach((n, j) => (folded[at(i)]![at(j)]! += n)));
  return { labels: [...labels.slice(0, kept), `… ${labels.length - kept} more`], counts: folded };
}

// blue-50 to blue-900: the darker the cell, the more records.
const LOW = [239, 246, 255];
const HIGH = [30, 58, 138];

function shade(t: number): string {
  const c = LOW.map((low, i) => Math.round(low + (HIGH[i]! - low) * t));
  return `rgb(${c[0]} ${c[1]} ${c[2]})`;
}

/** The confusion matrices as grids of cells shaded by count, with a picker when there are several. */
export function ComparisonHeatmap({ matrices }: { matrices: ConfusionMatrix[] }) {
  const [chosen, setChosen] = useState(0);
  const pickerId = useId();
  if (matrices.length === 0)
    return <EmptyState title="No confusion matrix">The labels are not categorical (numbers, or too many distinct values), so there is nothing to cross-tabulate.</EmptyState>;
  const matrix = matrices[Math.min(chosen, matrices.length - 1)]!;
  return (
    <div className="space-y-3">
      {matrices.length > 1 && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label htmlFor={pickerId} className="font-medium text-slate-800">
            Matrix
          </label>
          <select id={pickerId} value={chosen} onChange={(e) => setChosen(Number(e.target.value))} className="rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900" data-matrix-picker>
            {matrices.map((m, i) => (
              <option key={m.id} value={i}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <MatrixGrid key={matrix.id} matrix={matrix} />
    </div>
  );
}

function MatrixGrid({ matrix }: { matrix: ConfusionMatrix }) {
  const { labels, counts } = foldMatrix(matrix.labels, matrix.counts);
  const rowTotals = counts.map((row) => row.reduce((s, n) => s + n, 0));
  const colTotals = labels.map((_, j) => counts.reduce((s, row) => s + (row[j] ?? 0), 0));
  const total = rowTotals.reduce((s, n) => s + n, 0);
  // From the whole matrix: the folded corner cell also holds confusions among the folded labels.
  const diagonal = matrix.labels.reduce((s, _, i) => s + (matrix.counts[i]?.[i] ?? 0), 0);
  const folded = matrix.labels.length - labels.length + 1;
  const max = Math.max(1, ...counts.flat());
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" data-heatmap={matrix.id}>
      <figcaption className="mb-3">
        <span className="font-semibold text-slate-900">{matrix.title}</span>
        <span className="block text-sm text-slate-700">
          Rows: {matrix.rowsAre}; columns: {matrix.columnsAre}. On the diagonal: {formatCount(diagonal)} of {formatCount(total)} records ({formatShare(total ? diagonal / total : null)}).
          {folded > 1 && ` The last row and column gather the ${folded} least frequent labels.`}
          {matrix.labels.includes('(other)') && ` “(other)” holds the labels past the first ${matrix.labelCap ?? 'few hundred'} distinct ones.`}
        </span>
      </figcaption>
      <div className="overflow-x-auto">
        <table className="border-separate border-spacing-0.5 text-xs">
          <caption className="sr-only">
            {matrix.title}: records by {matrix.rowsAre} (rows) and {matrix.columnsAre} (columns)
          </caption>
          <thead>
            <tr>
              <th scope="col" className="px-1 pb-1 text-right align-bottom text-[11px] font-normal text-slate-600">
                {matrix.rowsAre} ↓ / {matrix.columnsAre} →
              </th>
              {labels.map((label) => (
                <th key={label} scope="col" className="h-20 w-9 max-w-9 px-0 pb-1 align-bottom font-medium text-slate-800">
                  {/* Vertical, so twenty labels fit across a laptop screen. */}
                  <span className="inline-block max-h-20 overflow-hidden text-ellipsis whitespace-nowrap font-mono [writing-mode:vertical-rl] rotate-180" title={label}>
                    {label}
                  </span>
                </th>
              ))}
              <th scope="col" className="px-2 pb-1 align-bottom font-semibold text-slate-700">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {labels.map((rowLabel, i) => (
              <tr key={rowLabel}>
                <th scope="row" className="max-w-40 truncate pr-2 text-right font-mono font-medium text-slate-800" title={rowLabel}>
                  {rowLabel}
                </th>
                {labels.map((colLabel, j) => {
                  const n = counts[i]?.[j] ?? 0;
                  // Square root: the diagonal dwarfs the rest, and a few confusions should still show.
                  const t = n === 0 ? 0 : 0.12 + 0.88 * Math.sqrt(n / max);
                  return (
                    <td
                      key={colLabel}
                      data-row={rowLabel}
                      data-col={colLabel}
                      data-count={n}
                      title={`${matrix.rowsAre} ${rowLabel}, ${matrix.columnsAre} ${colLabel}: ${n} records`}
                      className={`h-9 w-9 min-w-9 text-center tabular-nums ${i === j ? 'outline outline-2 -outline-offset-2 outline-slate-900/40' : ''} ${t > 0.55 ? 'font-semibold text-white' : 'text-slate-900'}`}
                      style={{ backgroundColor: n === 0 ? '#f8fafc' : shade(t) }}
                    >
                      {n === 0 ? <span className="text-slate-300">·</span> : formatCount(n)}
                    </td>
                  );
                })}
                <td className="px-2 text-right tabular-nums text-slate-700" data-row-total={rowLabel}>
                  {formatCount(rowTotals[i]!)}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row" className="pr-2 pt-1 text-right font-semibold text-slate-700">
                Total
              </th>
              {labels.map((label, j) => (
                <td key={label} className="pt-1 text-center tabular-nums text-slate-700">
                  {formatCount(colTotals[j]!)}
                </td>
              ))}
              <td className="px-2 pt-1 text-right font-semibold tabular-nums text-slate-800">{formatCount(total)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </figure>
  );
}
