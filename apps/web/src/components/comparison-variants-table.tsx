import Link from 'next/link';
import type { VariantFigures } from '@sluice/contracts';
import { formatMs, formatPerSecond, formatShare } from '@/lib/comparison-format';
import { formatCount, formatDuration } from '@/lib/format';

interface Metric {
  id: string;
  label: string;
  hint?: string;
  value: (v: VariantFigures) => number | null | undefined;
  format: (value: number | null | undefined) => string;
  /** Which way is better, to mark the best variant of the row; none when it is not a ranking. */
  better?: 'lower' | 'higher';
}

const count = (n: number | null | undefined) => (n === null || n === undefined ? '—' : formatCount(n));

const METRICS: Metric[] = [
  { id: 'duration', label: 'Duration', value: (v) => v.durationMs, format: (ms) => (ms === null || ms === undefined ? '—' : formatDuration(ms)), better: 'lower' },
  { id: 'records-per-second', label: 'Records/s', value: (v) => v.recordsPerSecond, format: formatPerSecond, better: 'higher' },
  { id: 'p50', label: 'Latency p50', hint: 'per invocation', value: (v) => v.latencyMs.p50, format: formatMs, better: 'lower' },
  { id: 'p95', label: 'Latency p95', value: (v) => v.latencyMs.p95, format: formatMs, better: 'lower' },
  { id: 'p99', label: 'Latency p99', value: (v) => v.latencyMs.p99, format: formatMs, better: 'lower' },
  { id: 'invocations', label: 'Invocations', value: (v) => v.invocations, format: count },
  { id: 'error-rate', label: 'Error rate', hint: 'failed invocations', value: (v) => v.errorRate, format: formatShare, better: 'lower' },
  { id: 'retry-rate', label: 'Retry rate', hint: 'retries per invocation', value: (v) => v.retryRate, format: formatShare, better: 'lower' },
  { id: 'records', label: 'Records', value: (v) => v.records, format: count },
  { id: 'records-failed', label: 'Records failed', value: (v) => v.recordsFailed, format: count, better: 'lower' },
];

const WITHOUT_LABEL: Metric = { id: 'records-without-label', label: 'Without a label', hint: 'no label at the label path', value: (v) => v.recordsWithoutLabel, format: count, better: 'lower' };

const ACCURACY: Metric = { id: 'accuracy', label: 'Accuracy', hint: 'against the ground truth', value: (v) => v.accuracy, format: formatShare, better: 'higher' };

/** Each variant in a column, each figure in a row, so the eye compares across a line. */
export function ComparisonVariantsTable({ variants }: { variants: VariantFigures[] }) {
  const metrics = [
    ...METRICS,
    // Shown when some output had no label where the label path points: its records count as `(no label)`.
    ...(variants.some((v) => (v.recordsWithoutLabel ?? 0) > 0) ? [WITHOUT_LABEL] : []),
    ...(variants.some((v) => v.accuracy !== undefined) ? [ACCURACY] : []),
  ];
  return (
    // As wide as its columns, not the page: a figure stays next to its row's name.
    <div className="max-w-full overflow-x-auto rounded-lg border border-slate-200 bg-white lg:w-fit">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-variants-table>
        <caption className="sr-only">Each variant&apos;s figures side by side; ★ marks the best of a row</caption>
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-semibold">
              <span className="sr-only">Figure</span>
            </th>
            {variants.map((v, i) => (
              <th key={i} scope="col" className="min-w-40 px-4 py-2 text-right font-semibold" data-variant={i}>
                <Link href={`/jobs/${encodeURIComponent(v.jobName)}`} className="text-blue-800 underline-offset-2 hover:underline">
                  {v.jobName}
                </Link>
                <span className="block text-xs font-normal text-slate-700">{v.modelName}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {metrics.map((metric) => {
            const best = bestIndexes(variants, metric);
            return (
              <tr key={metric.id} data-metric={metric.id}>
                <th scope="row" className="whitespace-nowrap py-2 pl-3 pr-8 text-left font-medium text-slate-800">
                  {metric.label}
                  {metric.hint && <span className="block text-xs font-normal text-slate-600">{metric.hint}</span>}
                </th>
                {variants.map((v, i) => {
                  const isBest = best.has(i);
                  return (
                    <td key={i} data-variant={i} className={`whitespace-nowrap px-4 py-2 text-right tabular-nums ${isBest ? 'font-semibold text-green-900' : 'text-slate-900'}`}>
                      {isBest && (
                        <span aria-label="best" className="mr-1 text-xs">
                          ★
                        </span>
                      )}
                      <span data-value>{metric.format(metric.value(v))}</span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The variants that are best on this row; none when every variant is equal (nothing to choose). */
function bestIndexes(variants: VariantFigures[], metric: Metric): Set<number> {
  if (!metric.better || variants.length < 2) return new Set();
  const values = variants.map((v) => metric.value(v));
  const known = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (known.length < 2) return new Set();
  const target = metric.better === 'lower' ? Math.min(...known) : Math.max(...known);
  if (known.every((x) => x === target)) return new Set();
  return new Set(values.flatMap((x, i) => (x === target ? [i] : [])));
}
