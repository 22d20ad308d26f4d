import type { TransformSummary } from '@sluice/engine';
import { formatBytes as bytes } from './format.js';

/** The summary as `--json` prints it: stable field names for scripts. */
export function summaryJson(summary: TransformSummary, output: string) {
  return {
    status: summary.status,
    output,
    objects: summary.objects,
    records: summary.records,
    recordsFailed: summary.recordsFailed,
    bytesIn: summary.bytesIn,
    bytesOut: summary.bytesOut,
    durationMs: Math.round(summary.durationMs),
    recordsPerSecond: Math.round(summary.recordsPerSecond),
    ...(summary.failureReason ? { failureReason: summary.failureReason } : {}),
    ...(summary.capture ? { capture: summary.capture } : {}),
    failures: summary.failures,
    parameters: summary.params,
    results: summary.results.map((r) => ({
      input: r.input,
      status: r.status,
      ...(r.output ? { output: r.output } : {}),
      ...(r.errors ? { errors: r.errors } : {}),
      records: r.records,
      recordsFailed: r.recordsFailed,
      bytesIn: r.bytesIn,
      bytesOut: r.bytesOut,
      durationMs: Math.round(r.durationMs),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

export function printSummary(summary: TransformSummary, output: string, out: NodeJS.WritableStream): void {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const { objects } = summary;
  const lines = [
    `${summary.status}: ${objects.completed} of ${objects.total} object${objects.total === 1 ? '' : 's'} transformed` +
      (objects.failed ? `, ${objects.failed} failed` : '') +
      (objects.stopped ? `, ${objects.stopped} not finished` : ''),
    `  records   ${n(summary.records)} (${n(summary.recordsFailed)} failed)`,
    `  bytes     ${bytes(summary.bytesIn)} in, ${bytes(summary.bytesOut)} out`,
    `  duration  ${(summary.durationMs / 1000).toFixed(2)} s, ${n(summary.recordsPerSecond)} records/s`,
    `  output    ${output}`,
  ];
  if (summary.capture) lines.push(`  capture   ${summary.capture.input}`, `            ${summary.capture.output}`);
  // A reason no failed object explains (the capture could not be written) is said here.
  if (summary.failureReason && summary.failures.length === 0) lines.push(`  reason    ${summary.failureReason}`);
  const withErrors = summary.results.filter((r) => r.errors);
  if (withErrors.length > 0) {
    lines.push(`  record errors (placeholders written):`);
    for (const r of withErrors) lines.push(`    ${r.errors} (${n(r.recordsFailed)} records)`);
  }
  if (summary.failures.length > 0) {
    lines.push('failed objects:');
    for (const f of summary.failures) lines.push(`  ${f.input}`, `    ${f.reason}`);
  }
  out.write(`${lines.join('\n')}\n`);
}
