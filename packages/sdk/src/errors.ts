import { TRPCClientError } from '@trpc/client';
import type { AppErrorCode, FieldIssue, JobView } from '@sluice/contracts';

/**
 * What went wrong, as a stable code to branch on. The service's own codes (AppErrorCode:
 * VALIDATION, NOT_FOUND, ALREADY_EXISTS...) pass through unchanged; the SDK adds its own for what
 * happens on this side of the wire.
 */
export type SluiceErrorCode =
  | AppErrorCode
  /** No answer from the service: wrong SLUICE_URL, or it is not running. */
  | 'UNREACHABLE'
  /** Something answered, but not as a Sluice service does (another server on that port, a proxy page...). */
  | 'BAD_RESPONSE'
  /** The awaited job ended Failed (SageMaker's UnexpectedStatusException); `job` has its FailureReason. */
  | 'JOB_FAILED'
  /** The awaited job ended Stopped before it completed. */
  | 'JOB_STOPPED'
  /** wait() or stop() on a Transformer that has started or attached no job yet. */
  | 'NO_JOB';

/** A bad field of a request: the service's path, and the SDK option that sets it where there is one. */
export interface SluiceIssue extends FieldIssue {
  /** e.g. `maxPayload` for `transform.maxPayloadInMB`, when the request came from a Transformer. */
  option?: string;
}

export interface SluiceErrorDetails {
  issues?: SluiceIssue[];
  /** The job as it ended, for JOB_FAILED and JOB_STOPPED. */
  job?: JobView;
  /** The procedure the service refused (`jobs.create`), when it named it. */
  procedure?: string;
  /** For UNREACHABLE, the socket's error (ECONNREFUSED...); for BAD_RESPONSE, what came back instead. */
  reason?: string;
  cause?: unknown;
}

/** Every failure the SDK reports: a code, a message a person can act on, and the bad fields. */
export class SluiceError extends Error {
  override readonly name = 'SluiceError';
  readonly issues: SluiceIssue[];
  readonly job: JobView | undefined;
  readonly procedure: string | undefined;
  readonly reason: string | undefined;

  constructor(
    readonly code: SluiceErrorCode,
    message: string,
    details: SluiceErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.issues = details.issues ?? [];
    this.job = details.job;
    this.procedure = details.procedure;
    this.reason = details.reason;
  }
}

/** The shape of `error.data` that packages/api's errorFormatter sends (see its trpc.ts). */
interface SluiceErrorData {
  appCode?: AppErrorCode;
  issues?: FieldIssue[];
  path?: string;
}

/**
 * A failed tRPC call to the service at `url` as a SluiceError. Errors that did not come from the
 * call (a bug in the caller's own code, say) are returned as they are.
 */
export function toSluiceError(error: unknown, url: string, options: { tokenSent?: boolean } = {}): unknown {
  if (error instanceof SluiceError || !(error instanceof TRPCClientError)) return error;
  const data = error.data as SluiceErrorData | undefined | null;
  if (data?.appCode === 'UNAUTHORIZED' && options.tokenSent === false) {
    // The service explains a token it was sent (invalid, revoked, expired); without one, say so here.
    return new SluiceError(
      'UNAUTHORIZED',
      `SLUICE_TOKEN is not set and the service at ${url} requires sign-in: create a token with \`sluice tokens create --email you@example.com\` and pass it as the \`token\` option or SLUICE_TOKEN`,
      { procedure: data.path, cause: error },
    );
  }
  if (data?.appCode) return new SluiceError(data.appCode, error.message, { issues: data.issues ?? [], procedure: data.path, cause: error });

  const cause = error.cause as (Error & { cause?: { code?: string; message?: string } }) | undefined;
  if (cause instanceof TypeError && cause.message === 'fetch failed') {
    // undici puts the socket's error (ECONNREFUSED, ENOTFOUND...) or its own reason ("bad port") under `cause`.
    const why = cause.cause?.code ?? cause.cause?.message;
    return new SluiceError(
      'UNREACHABLE',
      `cannot reach Sluice at ${url}${why ? ` (${why})` : ''}: start the service (\`sluice up\`), or point the SDK at it with the \`url\` option or SLUICE_URL`,
      { reason: why, cause: error },
    );
  }
  return new SluiceError('BAD_RESPONSE', `the server at ${url} did not answer as a Sluice service does (is SLUICE_URL right?): ${error.message}`, { reason: error.message, cause: error });
}
