/** What a model container may answer at GET /execution-parameters (SageMaker's names). */
export interface ExecutionParameters {
  MaxConcurrentTransforms?: number;
  BatchStrategy?: 'MULTI_RECORD' | 'SINGLE_RECORD';
  MaxPayloadInMB?: number;
}

export interface InvokeOptions {
  contentType?: string;
  accept?: string;
  /** Abort the attempt after this long (InvocationsTimeoutInSeconds). */
  timeoutMs: number;
  /** An answer longer than this is cut off and fails the attempt ('too-large'): a model cannot make the worker hold without bound. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

/** One answer from POST /invocations, whatever its status. */
export interface ModelResponse {
  status: number;
  body: Buffer;
}

/**
 * One way to reach a model: HTTP to a container, or a function in this process. A transport makes
 * single attempts; retries, backoff and accounting are the engine's (model/invoke.ts).
 */
export interface ModelTransport {
  /** Resolves with any HTTP status; rejects with TransportError when no answer came. */
  invoke(payload: Buffer, options: InvokeOptions): Promise<ModelResponse>;
  /** True when GET /ping answered 200 within `timeoutMs` (SageMaker: 2 s). */
  ping(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** The container's GET /execution-parameters, or undefined when it does not offer them. */
  executionParameters(signal?: AbortSignal): Promise<ExecutionParameters | undefined>;
  close(): Promise<void>;
  /** For messages: the URL, or `in-process:<name>`. */
  readonly describe: string;
}

export type TransportErrorKind = 'connect' | 'timeout' | 'reset' | 'too-large' | 'aborted';

/** No usable HTTP answer: the connection failed, timed out, was reset, the answer was over its limit, or the caller aborted. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
