import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationEvent } from '../observer.js';
import { bodyText } from './format.js';
import { TransportError, type ModelResponse, type ModelTransport, type TransportErrorKind } from './transport.js';

/** Why an attempt got no HTTP answer (an abort is not a failure of the model). */
type NoAnswer = Exclude<TransportErrorKind, 'aborted'>;

export interface BackoffOptions {
  /** The first retry waits up to this long; each later one up to twice the one before. */
  baseMs?: number;
  /** No wait is longer than this. */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 100, maxMs: 5_000 };

/** How many times a mini-batch's MaxPayloadInMB a model's answer may be (answers outgrow requests: embeddings, scores). */
export const RESPONSE_LIMIT_MULTIPLE = 16;

/**
 * The longest answer the engine reads for a mini-batch: RESPONSE_LIMIT_MULTIPLE × MaxPayloadInMB
 * (MaxPayloadInMB 0, no request limit, counts as 100). A model cannot make a worker hold more.
 */
export function modelResponseLimitBytes(maxPayloadInMB: number): number {
  return RESPONSE_LIMIT_MULTIPLE * (maxPayloadInMB > 0 ? maxPayloadInMB : 100) * 1024 * 1024;
}

export interface InvokeWithRetryOptions {
  contentType?: string;
  accept?: string;
  /** Per attempt (InvocationsTimeoutInSeconds). */
  timeoutMs: number;
  /** The longest answer read (see modelResponseLimitBytes); a longer one fails the mini-batch, not retried. */
  maxResponseBytes?: number;
  /** Attempts after the first (InvocationsMaxRetries). */
  maxRetries: number;
  signal?: AbortSignal;
  /** Records in the payload, for the invocation events. */
  records: number;
  onAttempt?: (event: InvocationEvent) => void;
  backoff?: BackoffOptions;
}

/** How much of a failed answer an error keeps and shows. */
export const BODY_HEAD_BYTES = 256;

/** The model gave no usable answer after every attempt allowed. */
export class ModelInvocationError extends Error {
  override readonly name = 'ModelInvocationError';
  constructor(
    message: string,
    /** The last attempt's HTTP status, or why no answer came ('timeout', 'connect', 'reset'). */
    readonly status: NoAnswer | number,
    readonly attempts: number,
    /** The first bytes of the model's last answer (empty when there was none). */
    readonly bodyHead: Buffer,
    /** The model, as its transport describes it. */
    readonly model: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One mini-batch through the model with SageMaker's retry rules: a lost connection, a timeout, 429
 * and 5xx are tried again (up to `maxRetries` more times, with exponential backoff and full jitter
 * so that many workers do not retry in step); any other answer is final. Resolves with the body of
 * a 2xx answer; rejects with ModelInvocationError, or TransportError('aborted') once the caller aborts.
 */
export async function invokeWithRetry(transport: ModelTransport, payload: Buffer, options: InvokeWithRetryOptions): Promise<Buffer> {
  const { contentType, accept, timeoutMs, maxResponseBytes, maxRetries, signal, records, onAttempt } = options;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };

  for (let attempt = 0; ; attempt++) {
    const started = performance.now();
    let response: ModelResponse | undefined;
    let lost: (TransportError & { kind: NoAnswer }) | undefined;
    try {
      response = await transport.invoke(payload, { contentType, accept, timeoutMs, maxResponseBytes, signal });
    } catch (error) {
      // An abort is the caller's decision, not the model's failure: no event, no retry.
      if (!(error instanceof TransportError) || error.kind === 'aborted') throw error;
      lost = error as TransportError & { kind: NoAnswer };
    }
    const outcome = response ? response.status : lost!.kind;
    onAttempt?.({ outcome, latencyMs: performance.now() - started, attempt, records, bytes: payload.length });

    if (response && response.status >= 200 && response.status < 300) return response.body;
    // An answer over the limit would be as long again: final, like a 4xx.
    const retryable = response ? response.status === 429 || response.status >= 500 : lost!.kind !== 'too-large';
    if (!retryable || attempt >= maxRetries) throw invocationError(transport.describe, attempt + 1, response, lost, retryable);

    const capMs = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt);
    try {
      await sleep(Math.random() * capMs, undefined, { signal });
    } catch (error) {
      throw new TransportError('aborted', `invocation of ${transport.describe} aborted while waiting to retry`, { cause: error });
    }
  }
}

function invocationError(
  model: string,
  attempts: number,
  response: ModelResponse | undefined,
  lost: (TransportError & { kind: NoAnswer }) | undefined,
  retryable: boolean,
): ModelInvocationError {
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (!response) {
    if (lost!.kind === 'too-large') {
      const message = `model ${model} ${lost!.message.replace(/^the answer was/, 'answered')} (${RESPONSE_LIMIT_MULTIPLE} × MaxPayloadInMB): raise MaxPayloadInMB, or have the model answer less per record`;
      return new ModelInvocationError(message, lost!.kind, attempts, Buffer.alloc(0), model, { cause: lost });
    }
    const hint = lost!.kind === 'timeout' ? '; raise ModelClientConfig.InvocationsTimeoutInSeconds or send smaller mini-batches (MaxPayloadInMB)' : '';
    return new ModelInvocationError(`no answer from ${model} after ${tries}: ${lost!.message}${hint}`, lost!.kind, attempts, Buffer.alloc(0), model, { cause: lost });
  }
  // A copy, so that the error does not keep a large answer alive.
  const head = Buffer.from(response.body.subarray(0, BODY_HEAD_BYTES));
  const refused = retryable ? '' : ` (${response.status} is not retried)`;
  const hint = response.status === 413 ? '; lower MaxPayloadInMB or use BatchStrategy SingleRecord' : '';
  return new ModelInvocationError(
    `model ${model} answered ${response.status} after ${tries}${refused}: ${bodyText(head, response.body.length)}${hint}`,
    response.status,
    attempts,
    head,
    model,
  );
}
