import type { VariantFigures } from '@sluice/contracts';
import { formatMs, formatPerSecond, formatShare } from '@/lib/comparison-format';
import { formatCount, formatDuration } from '@/lib/format';
import { DataTable, TableLink, type DataTableProps } from './data-table';

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

/** A figure's row: the variants that are best at it are marked. */
interface FigureRow {
  metric: Metric;
  best: Set<number>;
}

function variantColumns(variants: VariantFigures[]): DataTableProps<FigureRow>['columns'] {
  return [
    {
      id: 'figure',
      header: () => <span className="sr-only">Figure</span>,
      meta: { rowHeader: true, padding: 'py-2 pl-3 pr-8', className: 'whitespace-nowrap' },
      cell: ({ row: { original: r } }) => (
        <>
          {r.metric.label}
          {r.metric.hint && <span className="block text-xs font-normal text-slate-600">{r.metric.hint}</span>}
        </>
      ),
    },
    ...variants.map(
      (v, i): DataTableProps<FigureRow>['columns'][number] => ({
        id: `variant-${i}`,
        header: () => (
          <>
            <TableLink href={`/jobs/${encodeURIComponent(v.jobName)}`}>{v.jobName}</TableLink>
            <span className="block text-xs font-normal text-slate-700">{v.modelName}</span>
          </>
        ),
        meta: {
          numeric: true,
          padding: 'px-4 py-2',
          headerClassName: 'min-w-40',
          headerProps: { 'data-variant': i },
          cellProps: () => ({ 'data-variant': i }),
          className: (r) => `whitespace-nowrap ${r.best.has(i) ? 'font-semibold text-green-900' : 'text-slate-900'}`,
        },
        cell: ({ row: { original: r } }) => (
          <>
            {r.best.has(i) && (
              <span aria-label="best" className="mr-1 text-xs">
                ★
              </span>
            )}
            <span data-value>{r.metric.format(r.metric.value(v))}</span>
          </>
        ),
      }),
    ),
  ];
}

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
    <DataTable
      columns={variantColumns(variants)}
      data={metrics.map((metric) => ({ metric, best: bestIndexes(variants, metric) }))}
      rowId={(r) => r.metric.id}
      rowProps={(r) => ({ 'data-metric': r.metric.id })}
      tableProps={{ 'data-variants-table': true }}
      caption={<>Each variant&apos;s figures side by side; ★ marks the best of a row</>}
      frameClassName="max-w-full lg:w-fit"
      valign="middle"
    />
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
