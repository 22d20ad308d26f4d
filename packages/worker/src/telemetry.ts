import { cpuUsage, memoryUsage } from 'node:process';
import type { Core, NewLogEntry, NewMetricRow } from '@sluice/core';
import { appendLogs, appendMetrics, latencyBucket, reportTaskProgress } from '@sluice/core';
import { LATENCY_BUCKETS_MS } from '@sluice/core';
import type { EngineObserver, LogLevel } from '@sluice/engine';

interface Accumulator {
  recordsIn: number;
  recordsOut: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
  invocations: number;
  retries: number;
  invocationErrors: number;
  outcomes: Record<string, number>;
  latencyBuckets: number[];
  latencySumMs: number;
}

interface TaskProgress {
  taskId: number;
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
}

const emptyAccumulator = (): Accumulator => ({
  recordsIn: 0,
  recordsOut: 0,
  recordsFailed: 0,
  bytesIn: 0,
  bytesOut: 0,
  invocations: 0,
  retries: 0,
  invocationErrors: 0,
  outcomes: {},
  latencyBuckets: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  latencySumMs: 0,
});

/**
 * Collects what the engine reports (synchronously, in memory) and writes it to Postgres every few
 * seconds in a handful of statements: logs in chunked inserts, one metrics row per job, live
 * progress of running tasks. Nothing here waits on the database while a record is in flight; what
 * a flush could not write is kept (bounded) for the next one; a model's output is rate-limited.
 */
/** Log entries kept while the database cannot take them; past this, the oldest are dropped and counted. */
export const MAX_PENDING_LOG_ENTRIES = 20_000;
/** Metric rows kept while the database cannot take them (one per job per flush). */
const MAX_PENDING_METRIC_ROWS = 2_000;
/** Lines a job's model may print into the job log per second, on average (bursts up to MODEL_LINE_BURST). */
export const MODEL_LINES_PER_SECOND = 100;
const MODEL_LINE_BURST = 1_000;

export class Telemetry {
  private logs: NewLogEntry[] = [];
  private pendingMetrics: NewMetricRow[] = [];
  /** Entries dropped because the pending buffer was full, reported once it drains. */
  private droppedLogs = 0;
  /** Per job: the model's line budget (a token bucket) and the lines it printed past it. */
  private modelLines = new Map<string, { tokens: number; at: number; dropped: number }>();
  private metrics = new Map<string, Accumulator>();
  private progress = new Map<number, TaskProgress>();
  private lastFlush = Date.now();
  private lastCpu = cpuUsage();

  constructor(
    private readonly core: Core,
    private readonly workerId: string,
  ) {}

  log(jobId: string, level: LogLevel, message: string, fields?: Record<string, unknown>, source = 'sluice'): void {
    this.logs.push({ jobId, level, message, source, workerId: this.workerId, fields, time: new Date() });
    this.trimLogs();
  }

  /** Keeps at most MAX_PENDING_LOG_ENTRIES, dropping (and counting) the oldest. */
  private trimLogs(): void {
    const over = this.logs.length - MAX_PENDING_LOG_ENTRIES;
    if (over <= 0) return;
    this.logs.splice(0, over);
    this.droppedLogs += over;
  }

  /**
   * A line the job's model printed, into the job log within MODEL_LINES_PER_SECOND (a model that
   * floods stdout cannot flood the database); the lines past it are counted and said at the next flush.
   */
  modelLine(jobId: string, stream: 'stdout' | 'stderr', line: string): void {
    const now = Date.now();
    let budget = this.modelLines.get(jobId);
    if (!budget) this.modelLines.set(jobId, (budget = { tokens: MODEL_LINE_BURST, at: now, dropped: 0 }));
    budget.tokens = Math.min(MODEL_LINE_BURST, budget.tokens + ((now - budget.at) / 1000) * MODEL_LINES_PER_SECOND);
    budget.at = now;
    if (budget.tokens < 1) {
      budget.dropped++;
      return;
    }
    budget.tokens--;
    this.log(jobId, stream === 'stderr' ? 'warn' : 'info', line, undefined, `model:${stream}`);
  }

  /** The observer for one task: counters and invocations go to its job's metrics and its progress. */
  observer(jobId: string, taskId: number): EngineObserver {
    const acc = () => {
      let a = this.metrics.get(jobId);
      if (!a) this.metrics.set(jobId, (a = emptyAccumulator()));
      return a;
    };
    const progress: TaskProgress = { taskId, records: 0, recordsFailed: 0, bytesIn: 0, bytesOut: 0 };
    this.progress.set(taskId, progress);
    return {
      count: (d) => {
        const a = acc();
        a.recordsIn += d.recordsIn ?? 0;
        a.recordsOut += d.recordsOut ?? 0;
        a.recordsFailed += d.recordsFailed ?? 0;
        a.bytesIn += d.bytesIn ?? 0;
        a.bytesOut += d.bytesOut ?? 0;
        progress.records += d.recordsIn ?? 0;
        progress.recordsFailed += d.recordsFailed ?? 0;
        progress.bytesIn += d.bytesIn ?? 0;
        progress.bytesOut += d.bytesOut ?? 0;
      },
      invocation: (e) => {
        const a = acc();
        a.invocations++;
        if (e.attempt > 0) a.retries++;
        const ok = typeof e.outcome === 'number' && e.outcome >= 200 && e.outcome < 300;
        if (!ok) a.invocationErrors++;
        a.outcomes[String(e.outcome)] = (a.outcomes[String(e.outcome)] ?? 0) + 1;
        a.latencyBuckets[latencyBucket(e.latencyMs)]!++;
        a.latencySumMs += e.latencyMs;
      },
      objectStarted: (e) => this.log(jobId, 'info', `started ${e.input}${e.range ? ` bytes ${e.range.start}–${e.range.end}` : ''}`),
      objectFinished: (e) =>
        this.log(
          jobId,
          e.status === 'Completed' ? 'info' : e.status === 'Stopped' ? 'warn' : 'error',
          `${e.status.toLowerCase()} ${e.input}${e.range ? ` bytes ${e.range.start}–${e.range.end}` : ''}: ${e.records} records (${e.recordsFailed} failed) in ${(e.durationMs / 1000).toFixed(2)} s${e.error ? `: ${e.error}` : ''}`,
          { records: e.records, recordsFailed: e.recordsFailed, bytesIn: e.bytesIn, bytesOut: e.bytesOut },
        ),
      log: (level, message, fields) => this.log(jobId, level, message, fields),
    };
  }

  taskEnded(taskId: number): void {
    this.progress.delete(taskId);
  }

  private flushing: Promise<void> = Promise.resolve();

  /**
   * Writes everything collected since the last flush. Calls queue behind each other, so a caller
   * that awaits it knows its entries are stored (a task's log is complete before the task ends).
   */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.write());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async write(): Promise<void> {
    const now = Date.now();
    const intervalMs = Math.max(1, now - this.lastFlush);
    const cpu = cpuUsage(this.lastCpu);
    this.lastCpu = cpuUsage();
    this.lastFlush = now;
    for (const [jobId, budget] of this.modelLines) {
      if (budget.dropped > 0) this.log(jobId, 'warn', `the model printed ${budget.dropped} more lines than the job log takes (${MODEL_LINES_PER_SECOND} a second); they were dropped`, { dropped: budget.dropped }, 'sluice');
      if (budget.dropped === 0 && budget.tokens >= MODEL_LINE_BURST) this.modelLines.delete(jobId);
      else budget.dropped = 0;
    }
    if (this.droppedLogs > 0 && this.logs.length > 0) {
      const { jobId } = this.logs[0]!;
      this.logs.unshift({ jobId, level: 'warn', message: `${this.droppedLogs} log entries of this worker were dropped while the database could not take them`, source: 'sluice', workerId: this.workerId, time: new Date() });
      this.droppedLogs = 0;
    }
    const logs = this.logs;
    this.logs = [];
    const metrics = this.metrics;
    this.metrics = new Map();
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / intervalMs) * 100;
    const rssBytes = memoryUsage.rss();
    const rows: NewMetricRow[] = [...this.pendingMetrics, ...[...metrics].map(([jobId, a]) => ({ jobId, workerId: this.workerId, time: new Date(now), intervalMs, ...a, cpuPercent, rssBytes }))];
    this.pendingMetrics = [];
    // What the database did not take is kept (bounded) and written with the next flush: a flush
    // during an outage loses nothing it can hold.
    try {
      await appendLogs(this.core, logs);
    } catch (error) {
      this.logs = [...logs, ...this.logs];
      this.trimLogs();
      this.pendingMetrics = rows.slice(-MAX_PENDING_METRIC_ROWS);
      throw error;
    }
    try {
      await appendMetrics(this.core, rows);
    } catch (error) {
      this.pendingMetrics = rows.slice(-MAX_PENDING_METRIC_ROWS);
      throw error;
    }
    if (this.progress.size > 0) await reportTaskProgress(this.core, this.workerId, [...this.progress.values()]);
  }

  usage(): { cpuPercent: number; rssBytes: number } {
    const elapsed = Math.max(1, Date.now() - this.lastFlush);
    const cpu = cpuUsage(this.lastCpu);
    return { cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsed) * 100, rssBytes: memoryUsage.rss() };
  }
}
