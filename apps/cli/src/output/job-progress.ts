import cliProgress from 'cli-progress';
import type { JobView } from '@sluice/contracts';
import { formatCount, formatDuration } from './format.js';

export interface JobProgressBar {
  update(job: JobView): void;
  stop(): void;
}

/**
 * A progress bar on stderr for a job running on the service, by bytes read once it is planned,
 * with objects, records and the service's ETA beside it. Only on a terminal.
 */
export function createJobProgressBar({ enabled }: { enabled: boolean }): JobProgressBar {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {percentage}% | {status} | {objects} objects | {records} records | {failed} failed | ETA {remaining}',
      stream: process.stderr,
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (job) => {
      const p = job.progress;
      const payload = {
        status: job.status,
        objects: `${p.objectsCompleted}/${p.objectsTotal}`,
        records: formatCount(p.recordsOut),
        failed: formatCount(p.recordsFailed),
        remaining: p.etaSeconds === null ? '-' : formatDuration(p.etaSeconds * 1000),
      };
      const total = Math.max(1, p.bytesTotal);
      if (!started) bar.start(total, 0, payload);
      started = true;
      bar.setTotal(total);
      bar.update(Math.min(p.bytesIn, total), payload);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
