import type { ComparisonResults, ComparisonSummary, ComparisonView, PairFigures } from '@sluice/contracts';
import { elapsed, formatCount, formatDuration, formatTime, plural } from './format.js';
import { formatKeyValues, formatTable } from './table.js';

/** Disagreements shown in text (the JSON output has every one the service kept). */
const SHOWN_DISAGREEMENTS = 5;
/** Input and outputs of a disagreement are cut to this many characters on a terminal. */
const SHOWN_CHARS = 160;

export function formatComparisonsTable(items: ComparisonSummary[]): string {
  return formatTable(
    ['NAME', 'STATUS', 'JOBS', 'RECORDS', 'CREATED', 'DURATION'],
    items.map((c) => [c.name, c.status, c.jobs.map((j) => j.name).join(', '), c.records === null ? '-' : formatCount(c.records), formatTime(c.creationTime), c.startTime ? elapsed(c.startTime, c.endTime) : '-']),
  );
}

/** The comparison for a person: what it compares, then the side-by-side tables once computed. */
export function formatComparisonDescription(view: ComparisonView): string {
  const results = view.results;
  const objects = results?.objects;
  const header = formatKeyValues([
    ['Name', view.name],
    ['Status', view.status],
    ['FailureReason', view.failureReason ?? undefined],
    ['Jobs', view.jobs.map((j) => `${j.name} (${j.modelName ?? 'deleted'}, ${j.status ?? 'deleted'})`).join('\n')],
    ['GroundTruth', view.groundTruth ?? undefined],
    ['LabelPath', view.labelPath ?? undefined],
    ['Records', results ? `${formatCount(results.records)}${objects ? ` in ${plural(objects.compared, 'object')}` : ''}` : undefined],
    ['Skipped', objects && objects.skipped > 0 ? `${plural(objects.skipped, 'object')} not completed by every variant: ${objects.skippedKeys.join(', ')}${objects.skipped > objects.skippedKeys.length ? ', ...' : ''}` : undefined],
    ['Created', `${formatTime(view.creationTime)} by ${view.createdBy}`],
    ['Computed', view.startTime ? `${formatTime(view.startTime)} in ${elapsed(view.startTime, view.endTime)}` : undefined],
  ]);
  if (!results) return header;
  const names = results.variants.map((v) => v.jobName);
  const sections = [header, formatVariants(results), formatPairs(results.pairs, names)];
  if (results.variants.some((v) => v.perClass)) sections.push(formatPerClass(results));
  sections.push(formatDisagreements(results, names));
  return sections.join('\n\n');
}

/** The variants side by side: how each job ran, and its accuracy with ground truth. */
function formatVariants(results: ComparisonResults): string {
  const truth = results.variants.some((v) => v.accuracy !== undefined);
  return formatTable(
    ['VARIANT', 'MODEL', 'STATUS', 'RECORDS', 'FAILED', 'DURATION', 'RECORDS/S', 'P50', 'P95', 'P99', 'ERRORS', 'RETRIES', ...(truth ? ['ACCURACY'] : [])],
    results.variants.map((v) => [
      v.jobName,
      v.modelName,
      v.status,
      formatCount(v.records),
      formatCount(v.recordsFailed),
      v.durationMs === null ? '-' : formatDuration(v.durationMs),
      v.recordsPerSecond === null ? '-' : formatCount(v.recordsPerSecond),
      ms(v.latencyMs.p50),
      ms(v.latencyMs.p95),
      ms(v.latencyMs.p99),
      percent(v.errorRate),
      percent(v.retryRate),
      ...(truth ? [v.accuracy === undefined ? '-' : percent(v.accuracy)] : []),
    ]),
  );
}

function formatPairs(pairs: PairFigures[], names: string[]): string {
  const numeric = pairs.some((p) => p.numeric);
  return formatTable(
    ['PAIR', 'RECORDS', 'EXACT', 'LABELS', ...(numeric ? ['MEAN ABS DIFF', 'CORRELATION'] : [])],
    pairs.map((p) => [
      `${names[p.a]} / ${names[p.b]}`,
      formatCount(p.records),
      percent(p.exactAgreement),
      percent(p.labelAgreement),
      ...(numeric ? [p.numeric ? significant(p.numeric.meanAbsoluteDifference) : '-', p.numeric?.correlation != null ? significant(p.numeric.correlation) : '-'] : []),
    ]),
  );
}

/** Precision and recall per true class (most frequent first), one column pair per variant. */
function formatPerClass(results: ComparisonResults): string {
  const classes = new Map<string, number>();
  for (const v of results.variants) for (const c of v.perClass ?? []) if (c.support > 0) classes.set(c.label, c.support);
  const rows = [...classes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return formatTable(
    ['CLASS', 'SUPPORT', ...results.variants.flatMap((v) => [`${v.jobName} PRECISION`, 'RECALL'])],
    rows.map(([label, support]) => [
      label,
      formatCount(support),
      ...results.variants.flatMap((v) => {
        const c = v.perClass?.find((x) => x.label === label);
        return [c?.precision == null ? '-' : percent(c.precision), c?.recall == null ? '-' : percent(c.recall)];
      }),
    ]),
  );
}

function formatDisagreements(results: ComparisonResults, names: string[]): string {
  if (results.disagreementCount === 0) return 'No disagreements: every variant gave every record the same label.';
  const shown = results.disagreements.slice(0, SHOWN_DISAGREEMENTS);
  const lines = [`Disagreements: ${formatCount(results.disagreementCount)} of ${formatCount(results.records)} records${shown.length < results.disagreementCount ? ` (first ${shown.length})` : ''}`];
  for (const d of shown) {
    lines.push(`  ${d.object} record ${d.record}${d.truth !== undefined ? `  (truth: ${d.truth})` : ''}`);
    lines.push(formatKeyValues([['input', cut(d.input)], ...d.outputs.map((o, v): [string, string] => [names[v] ?? `variant ${v + 1}`, cut(o)])], '    '));
  }
  return lines.join('\n');
}

function ms(value: number | null): string {
  if (value === null) return '-';
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function significant(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function cut(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > SHOWN_CHARS ? `${oneLine.slice(0, SHOWN_CHARS - 1)}…` : oneLine;
}
