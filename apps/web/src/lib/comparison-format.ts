// How a comparison's figures read on the dashboard: one place, so the tables, the chart and the
// browser tests agree on every number.
import type { ComparisonResults, ComparisonView } from '@sluice/contracts';

/** `3.4 ms` under 10 ms, `120 ms` above; `—` when the variant made no invocation. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A share of 0..1 as a percentage: two decimals under 1 %, where `0.0%` would hide a real error rate. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const pct = share * 100;
  return `${pct !== 0 && Math.abs(pct) < 1 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

export function formatPerSecond(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined) return '—';
  return perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
}

/** Mean absolute difference and correlation: three significant digits are enough to compare. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Number(value.toPrecision(3)).toString();
}

/** The bucket's range in words: `≤ 5 ms`, `5–10 ms`, `> 5000 ms` (the last bucket is above the last bound). */
export function bucketLabel(boundsMs: number[], index: number): string {
  if (index === 0) return `≤ ${boundsMs[0]} ms`;
  if (index >= boundsMs.length) return `> ${boundsMs[boundsMs.length - 1]} ms`;
  return `${boundsMs[index - 1]}–${boundsMs[index]} ms`;
}

/** A variant's name as the comparison shows it: its job name, or `variant N` when the job is gone. */
export function variantName(view: Pick<ComparisonView, 'jobs'>, results: Pick<ComparisonResults, 'variants'> | null, index: number): string {
  return results?.variants[index]?.jobName ?? view.jobs[index]?.name ?? `variant ${index + 1}`;
}

/** One colour per variant, in variant order: distinct in hue and lightness, each at least 3:1 against white. */
export const VARIANT_COLORS = ['#1d4ed8', '#c2410c', '#7e22ce', '#047857', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155'];

export function variantColor(index: number): string {
  return VARIANT_COLORS[index % VARIANT_COLORS.length]!;
}
