// Following the demo's jobs until they end: one progress bar per job on a terminal, a line per
// change otherwise (CI logs), nothing with --quiet.
import cliProgress from 'cli-progress';
import { FINAL_STATUSES, type JobView, type SluiceClient } from '@sluice/sdk';
import type { DemoJob } from './jobs.js';

export type ProgressMode = 'bars' | 'lines' | 'quiet';

const POLL_MS = 500;

/** Polls every job until all are Completed, Failed or Stopped; resolves with their final views, in order. */
export async function followJobs(client: SluiceClient, jobs: readonly DemoJob[], mode: ProgressMode, signal?: AbortSignal): Promise<JobView[]> {
  const display = mode === 'bars' ? barsDisplay(jobs) : mode === 'lines' ? linesDisplay(jobs) : { update: () => {}, stop: () => {} };
  const views: Array<JobView | undefined> = jobs.map(() => undefined);
  try {
    for (;;) {
      signal?.throwIfAborted();
      await Promise.all(
        jobs.map(async (job, i) => {
          if (views[i] && FINAL_STATUSES.includes(views[i].status)) return;
          views[i] = await client.jobs.describe({ name: job.request.name });
          display.update(i, views[i]);
        }),
      );
      if (views.every((v) => v && FINAL_STATUSES.includes(v.status))) return views as JobView[];
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    display.stop();
  }
}

interface Display {
  update(index: number, job: JobView): void;
  stop(): void;
}

function barsDisplay(jobs: readonly DemoJob[]): Display {
  const width = Math.max(...jobs.map((j) => j.title.length));
  const multi = new cliProgress.MultiBar(
    // Short enough for an 80-column terminal, where cli-progress cuts longer lines.
    { format: ' {title} {bar} {value}/{total} records | {status}', hideCursor: true, fps: 5, barsize: 20, stream: process.stdout },
    cliProgress.Presets.shades_classic,
  );
  const bars = jobs.map((job) => multi.create(job.records, 0, { title: job.title.padEnd(width), status: 'InProgress' }));
  return {
    update: (i, view) => bars[i]!.update(Math.min(view.progress.recordsOut, jobs[i]!.records), { status: view.status }),
    stop: () => multi.stop(),
  };
}

/** A line when a job's status changes, and for running jobs every 5 s at most. */
function linesDisplay(jobs: readonly DemoJob[]): Display {
  const last = jobs.map(() => ({ status: '', at: 0 }));
  return {
    update: (i, view) => {
      const seen = last[i]!;
      const now = Date.now();
      if (view.status === seen.status && now - seen.at < 5_000) return;
      seen.status = view.status;
      seen.at = now;
      const p = view.progress;
      console.log(`  ${jobs[i]!.title}: ${view.status}, ${p.recordsOut}/${jobs[i]!.records} records, ${p.objectsCompleted}/${p.objectsTotal || '?'} objects`);
    },
    stop: () => {},
  };
}
