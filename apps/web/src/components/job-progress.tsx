import type { JobView } from '@sluice/contracts';
import { formatBytes, formatCount, formatDuration } from '@/lib/format';
import { ProgressBar } from './progress-bar';

export function JobProgress({ job }: { job: JobView }) {
  const p = job.progress;
  const running = job.status === 'InProgress';
  // Records have no total until every object is read: measure them against bytes read instead.
  const recordsDone = p.recordsOut + p.recordsFailed;
  return (
    <div className="space-y-4">
      <ProgressBar label="Objects" value={p.objectsCompleted} failed={p.objectsFailed} max={p.objectsTotal} detail={`${formatCount(p.objectsCompleted)} of ${formatCount(p.objectsTotal)}${p.objectsFailed ? `, ${formatCount(p.objectsFailed)} failed` : ''}`} />
      <ProgressBar label="Bytes" value={p.bytesIn} max={p.bytesTotal} detail={`${formatBytes(p.bytesIn)} of ${formatBytes(p.bytesTotal)}`} />
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Stat label="Records out" value={formatCount(p.recordsOut)} />
        <Stat label="Records failed" value={formatCount(p.recordsFailed)} alert={p.recordsFailed > 0} />
        <Stat label="Bytes written" value={formatBytes(p.bytesOut)} />
        <Stat label={running ? 'Time left' : 'Records handled'} value={running ? (p.etaSeconds === null ? 'estimating…' : `about ${formatDuration(p.etaSeconds * 1000)}`) : formatCount(recordsDone)} />
      </dl>
    </div>
  );
}

function Stat({ label, value, alert = false }: { label: string; value: string; alert?: boolean }) {
  return (
    <div className="rounded border border-slate-200 bg-slate-50 px-3 py-2">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-700">{label}</dt>
      <dd className={`mt-0.5 text-lg font-semibold tabular-nums ${alert ? 'text-red-800' : 'text-slate-900'}`}>{value}</dd>
    </div>
  );
}
