/**
 * Every failure a user sees has a stable code and a readable message. The job service throws
 * AppError; tRPC and the SageMaker-compatible API map the code to their own statuses in one table
 * each (packages/api). Codes are the domain's, not HTTP's.
 */
export type AppErrorCode =
  /** The request is malformed or breaks a rule; `issues` says which fields. */
  | 'VALIDATION'
  /** No such model, job, or other resource. */
  | 'NOT_FOUND'
  /** The name is taken (SageMaker: ResourceInUse). */
  | 'ALREADY_EXISTS'
  /** The resource is in a state that forbids the operation (deleting a model in use, stopping a finished job). */
  | 'CONFLICT'
  /** A limit was reached (SageMaker: ResourceLimitExceeded). */
  | 'LIMIT_EXCEEDED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'INTERNAL';

export interface FieldIssue {
  /** Dotted path of the field in the request, e.g. `transform.maxPayloadInMB`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}
