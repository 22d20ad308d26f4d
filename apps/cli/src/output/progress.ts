import cliProgress from 'cli-progress';
import type { EngineObserver, InputObject, TransformParams } from '@sluice/engine';

export interface ProgressReporter {
  observer: EngineObserver;
  planned: (plan: { objects: InputObject[]; params: TransformParams }) => void;
  stop: () => void;
}

/**
 * A progress bar on stderr, by bytes read, with objects, records and failures beside it. Only on
 * a terminal: piped output and --json get none.
 */
export function createProgressReporter({ enabled }: { enabled: boolean }): ProgressReporter {
  if (!enabled) return { observer: {}, planned: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {percentage}% | {objects} objects | {records} records | {failed} failed | {rate} rec/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let objectsDone = 0;
  let objectsTotal = 0;
  let records = 0;
  let failed = 0;
  let bytes = 0;
  let running = false;
  const payload = () => ({
    objects: `${objectsDone}/${objectsTotal}`,
    records: records.toLocaleString('en-US'),
    failed: failed.toLocaleString('en-US'),
    rate: Math.round((records * 1000) / Math.max(1, performance.now() - started)).toLocaleString('en-US'),
  });
  return {
    planned: ({ objects }) => {
      objectsTotal = objects.length;
      bar.start(Math.max(1, objects.reduce((n, o) => n + o.size, 0)), 0, payload());
      running = true;
    },
    observer: {
      count: (delta) => {
        bytes += delta.bytesIn ?? 0;
        records += delta.recordsOut ?? 0;
        failed += delta.recordsFailed ?? 0;
        if (running) bar.update(bytes, payload());
      },
      objectFinished: () => {
        objectsDone++;
        if (running) bar.update(bytes, payload());
      },
    },
    stop: () => {
      if (!running) return;
      running = false;
      bar.update(bytes, payload());
      bar.stop();
    },
  };
}
