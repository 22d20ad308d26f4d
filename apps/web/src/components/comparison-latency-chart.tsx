'use client';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VariantFigures } from '@sluice/contracts';
import { bucketLabel, formatMs, variantColor } from '@/lib/comparison-format';
import { formatCount } from '@/lib/format';
import { DataTable, type DataTableProps } from './data-table';
import { EmptyState } from './empty-state';

type Scale = 'share' | 'count';

const axis = { fontSize: 12, fill: '#334155' };

/**
 * The variants' invocation latency histograms over the same buckets, one series per variant. As a
 * share of each variant's invocations by default: variants that batch differently make different
 * numbers of invocations, and counts would compare those rather than the latencies.
 */
export function ComparisonLatencyChart({ variants, boundsMs }: { variants: VariantFigures[]; boundsMs: number[] }) {
  const [scale, setScale] = useState<Scale>('share');
  const totals = variants.map((v) => v.latencyBuckets.reduce((sum, n) => sum + n, 0));
  const bucketCount = Math.max(boundsMs.length + 1, ...variants.map((v) => v.latencyBuckets.length));
  // Only the range some variant reached: the empty buckets either side would squeeze the bars.
  const used = Array.from({ length: bucketCount }, (_, b) => variants.some((v) => (v.latencyBuckets[b] ?? 0) > 0));
  const first = used.indexOf(true);
  const last = used.lastIndexOf(true);
  if (first === -1) return <EmptyState title="No latencies recorded">None of the variants made an invocation that was timed.</EmptyState>;

  const rows = Array.from({ length: last - first + 1 }, (_, k) => {
    const b = first + k;
    const row: Record<string, string | number> = { bucket: bucketLabel(boundsMs, b) };
    variants.forEach((v, i) => {
      const n = v.latencyBuckets[b] ?? 0;
      row[`v${i}`] = scale === 'count' ? n : totals[i] ? Math.round((n / totals[i]!) * 1000) / 10 : 0;
    });
    return row;
  });
  const unit = scale === 'share' ? '%' : '';
  const summary = variants.map((v) => `${v.jobName}: p50 ${formatMs(v.latencyMs.p50)}, p95 ${formatMs(v.latencyMs.p95)}`).join(' · ');

  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" data-chart="Latency distribution">
      <figcaption className="mb-2 flex flex-wrap items-start justify-between gap-2">
        <span>
          <span className="font-semibold text-slate-900">Invocation latency distribution</span>
          <span className="block text-sm text-slate-700">{summary}</span>
        </span>
        <span role="group" aria-label="Scale" className="inline-flex overflow-hidden rounded border border-slate-400 text-sm">
          {(['share', 'count'] as const).map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={scale === s}
              onClick={() => setScale(s)}
              className={`px-3 py-1 font-medium ${scale === s ? 'bg-slate-800 text-white' : 'bg-white text-slate-900 hover:bg-slate-100'}`}
            >
              {s === 'share' ? '% of invocations' : 'Invocations'}
            </button>
          ))}
        </span>
      </figcaption>
      <div className="h-72" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 5, right: 10, bottom: 0, left: -5 }} barCategoryGap="15%">
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="bucket" tick={axis} interval="preserveStartEnd" minTickGap={8} />
            <YAxis tick={axis} unit={unit} allowDecimals={scale === 'share'} width={55} />
            <Tooltip formatter={(value) => `${String(value)}${unit}`} />
            {/* In variant order (v0…v9), as the tables list them, not alphabetically. */}
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter="dataKey" />
            {variants.map((v, i) => (
              <Bar key={i} dataKey={`v${i}`} name={v.jobName} fill={variantColor(i)} maxBarSize={40} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-blue-800">Show as a table</summary>
        <DataTable
          columns={latencyColumns(variants, boundsMs)}
          data={Array.from({ length: last - first + 1 }, (_, k) => first + k)}
          rowId={(b) => String(b)}
          tableProps={{ 'data-latency-table': true }}
          caption="Invocations per latency bucket, for each variant"
          density="dense"
          frameClassName="mt-2"
        />
      </details>
    </figure>
  );
}

/** The chart as a table: a row per latency bucket (its index), a column of invocation counts per variant. */
function latencyColumns(variants: VariantFigures[], boundsMs: number[]): DataTableProps<number>['columns'] {
  return [
    { id: 'bucket', header: 'Latency', meta: { rowHeader: true }, cell: ({ row }) => bucketLabel(boundsMs, row.original) },
    ...variants.map(
      (v, i): DataTableProps<number>['columns'][number] => ({
        id: `variant-${i}`,
        header: v.jobName,
        meta: { numeric: true, cellProps: (b) => ({ 'data-variant': i, 'data-bucket': b }) },
        cell: ({ row }) => formatCount(v.latencyBuckets[row.original] ?? 0),
      }),
    ),
  ];
}
