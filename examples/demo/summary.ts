// The demo's closing report: per job its status, records, duration, where its outputs are and how
// right its predictions were.
import type { JobView } from '@sluice/sdk';
import type { DemoJob } from './jobs.js';
import type { Score } from './scoring.js';

export interface JobOutcome {
  job: DemoJob;
  view: JobView;
  /** Absent when the job did not complete, or its outputs could not be scored (`scoreError`). */
  score?: Score;
  scoreError?: string;
}

export function formatSummary(outcomes: readonly JobOutcome[]): string {
  const lines: string[] = [];
  const width = Math.max(...outcomes.map((o) => o.job.title.length));
  for (const { job, view, score, scoreError } of outcomes) {
    const p = view.progress;
    const seconds = view.transformEndTime ? (view.transformEndTime.getTime() - (view.transformStartTime ?? view.creationTime).getTime()) / 1000 : undefined;
    const records = `${p.recordsOut} records${p.recordsFailed ? ` (${p.recordsFailed} failed)` : ''}`;
    lines.push(`${job.title.padEnd(width)}  ${view.status.padEnd(9)}  ${records.padEnd(13)}  ${seconds === undefined ? '' : `${seconds.toFixed(1)} s`}`);
    lines.push(`  job      ${view.name}`);
    if (view.failureReason) lines.push(`  failed   ${view.failureReason}`);
    if (score) {
      lines.push(`  accuracy ${score.right}/${score.total} = ${percent(score.right, score.total)} ${score.what}${score.note ? `; ${score.note}` : ''}`);
      lines.push(`  output   ${score.sample}`);
    }
    if (scoreError) lines.push(`  scoring  ${scoreError}`);
    lines.push(`  outputs  ${job.outputDir}`);
  }
  return lines.join('\n');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}
