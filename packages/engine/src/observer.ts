/**
 * The engine reports what it does through this interface and does no I/O for it itself: the
 * worker batches these into Postgres, the CLI into a progress bar. Calls are synchronous and cheap;
 * counters arrive per mini-batch, never per record.
 */
export interface EngineObserver {
  /** Counter increments (missing fields are zero). */
  count?(delta: CounterDelta): void;
  /** One attempt at POST /invocations: its outcome, latency and whether it was a retry. */
  invocation?(event: InvocationEvent): void;
  objectStarted?(event: ObjectEvent): void;
  objectFinished?(event: ObjectFinishedEvent): void;
  log?(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface CounterDelta {
  recordsIn?: number;
  recordsOut?: number;
  recordsFailed?: number;
  bytesIn?: number;
  bytesOut?: number;
}

export interface InvocationEvent {
  /** HTTP status, or the transport failure ('timeout', 'connect', 'reset', 'too-large'). */
  outcome: number | 'timeout' | 'connect' | 'reset' | 'too-large';
  latencyMs: number;
  /** 0 for the first attempt, 1.. for retries. */
  attempt: number;
  records: number;
  bytes: number;
}

export interface ObjectEvent {
  /** URI of the input object. */
  input: string;
  /** Shard of the object, when the task is one. */
  range?: { start: number; end: number };
}

export interface ObjectFinishedEvent extends ObjectEvent {
  status: 'Completed' | 'Failed' | 'Stopped';
  output?: string;
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  error?: string;
}

/** An observer that ignores everything. */
export const silentObserver: EngineObserver = {};
