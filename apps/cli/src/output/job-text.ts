import type { JobLogEntry, JobObjectView, JobView } from '@sluice/contracts';
import { elapsed, formatBytes, formatCount, formatDuration, formatTime, plural } from './format.js';
import { formatKeyValues, formatTable } from './table.js';

export function formatJobsTable(jobs: JobView[]): string {
  return formatTable(
    ['NAME', 'STATUS', 'MODEL', 'OBJECTS', 'RECORDS', 'FAILED', 'CREATED', 'DURATION'],
    jobs.map((job) => [
      job.name,
      job.status,
      job.modelName,
      objectsDone(job),
      formatCount(job.progress.recordsOut),
      formatCount(job.progress.recordsFailed),
      formatTime(job.creationTime),
      elapsed(job.transformStartTime ?? job.creationTime, job.transformEndTime),
    ]),
  );
}

export function formatJobDescription(job: JobView): string {
  const p = job.progress;
  const parameters = Object.entries(flatten(job.transform)).map(([k, v]) => `${k}=${v}`);
  return formatKeyValues([
    ['Name', job.name],
    ['Status', job.status],
    ['FailureReason', job.failureReason ?? undefined],
    ['Model', job.modelName],
    ['Input', `${job.input.uri} (${job.input.dataType})`],
    ['Output', job.output.uri],
    ['Parameters', parameters.length ? parameters.join('\n') : '(defaults)'],
    ['DataCapture', captureText(job)],
    ['Instances', `${job.instanceCount} × ${job.instanceType}`],
    ['Objects', `${objectsDone(job)} completed${p.objectsFailed ? `, ${formatCount(p.objectsFailed)} failed` : ''}`],
    ['Records', `${formatCount(p.recordsOut)} out, ${formatCount(p.recordsFailed)} failed`],
    ['Bytes', `${formatBytes(p.bytesIn)}${p.bytesTotal ? ` of ${formatBytes(p.bytesTotal)}` : ''} in, ${formatBytes(p.bytesOut)} out`],
    ['ETA', p.etaSeconds === null ? undefined : formatDuration(p.etaSeconds * 1000)],
    ['Created', `${formatTime(job.creationTime)} by ${job.createdBy}`],
    ['Started', formatTime(job.transformStartTime)],
    ['Ended', job.transformEndTime ? formatTime(job.transformEndTime) : undefined],
    ['Duration', job.transformStartTime ? elapsed(job.transformStartTime, job.transformEndTime) : undefined],
    ['Run', job.run > 1 ? job.run : undefined],
    ['ClonedFrom', job.clonedFrom ?? undefined],
    ['Comparisons', job.comparisons?.length ? job.comparisons.map((c) => `${c.name} (${c.status}): sluice compare describe ${c.name}`).join('\n') : undefined],
    ['Environment', Object.keys(job.environment).length ? Object.entries(job.environment).map(([k, v]) => `${k}=${v}`).join('\n') : undefined],
    ['Tags', job.tags.length ? job.tags.map((t) => `${t.key}=${t.value}`).join('\n') : undefined],
    ['Arn', job.arn],
  ]);
}

/** How a job ended, for the line printed after waiting on it. */
export function formatJobOutcome(job: JobView): string {
  const p = job.progress;
  const lines = [
    `${job.status}: transform job '${job.name}', ${objectsDone(job)} objects` +
      `${p.objectsFailed ? ` (${formatCount(p.objectsFailed)} failed)` : ''}, ${plural(p.recordsOut, 'record')} (${formatCount(p.recordsFailed)} failed)` +
      (job.transformStartTime ? ` in ${elapsed(job.transformStartTime, job.transformEndTime)}` : ''),
    `  output  ${job.output.uri}`,
  ];
  if (job.capture) lines.push(`  capture ${job.capture.input}`, `          ${job.capture.output}`);
  if (job.failureReason) lines.push(`  reason  ${job.failureReason}`);
  return lines.join('\n');
}

/** Where the capture manifests are, and whether they are there yet. */
function captureText(job: JobView): string | undefined {
  if (!job.transform.dataCaptureConfig) return undefined;
  if (!job.capture) return `under ${job.transform.dataCaptureConfig.destinationS3Uri} once the job starts`;
  const when = job.status === 'InProgress' || job.status === 'Stopping' ? ' (written when the job ends)' : '';
  return `inputs  ${job.capture.input}${when}\noutputs ${job.capture.output}`;
}

export function formatObjectsTable(objects: JobObjectView[]): string {
  return formatTable(
    ['INPUT', 'STATUS', 'SIZE', 'RECORDS', 'FAILED', 'OUTPUT', 'ERROR'],
    objects.map((o) => [o.relativeKey, o.status, formatBytes(o.size), formatCount(o.records), formatCount(o.recordsFailed), o.output, o.error ?? '']),
  );
}

export function formatLogLine(entry: JobLogEntry): string {
  return `${formatTime(entry.time)} ${entry.level.toUpperCase().padEnd(5)} [${entry.source}] ${entry.message}`;
}

function objectsDone(job: JobView): string {
  return `${formatCount(job.progress.objectsCompleted)}/${formatCount(job.progress.objectsTotal)}`;
}

/** `{ dataProcessing: { joinSource: 'Input' } }` → `{ 'dataProcessing.joinSource': 'Input' }`. */
function flatten(value: object, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object') Object.assign(flat, flatten(v as object, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = String(v);
  }
  return flat;
}
