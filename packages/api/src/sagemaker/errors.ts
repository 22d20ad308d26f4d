import { AppError, type AppErrorCode } from '@sluice/contracts';

/** An error as the AWS JSON 1.1 protocol carries it: `__type` (and x-amzn-ErrorType) plus a message. */
export class SageMakerError extends Error {
  override readonly name = 'SageMakerError';
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The one table from the job service's error codes to SageMaker's error types. SageMaker reports a
 * resource in the wrong state (stopping a finished job) as a ValidationException; a taken name as
 * ResourceInUse. The SDKs branch on the type, not the status.
 */
export const SAGEMAKER_ERROR_FOR: Record<AppErrorCode, { type: string; status: number }> = {
  VALIDATION: { type: 'ValidationException', status: 400 },
  NOT_FOUND: { type: 'ResourceNotFound', status: 400 },
  ALREADY_EXISTS: { type: 'ResourceInUse', status: 400 },
  CONFLICT: { type: 'ValidationException', status: 400 },
  LIMIT_EXCEEDED: { type: 'ResourceLimitExceeded', status: 400 },
  UNAUTHORIZED: { type: 'UnrecognizedClientException', status: 403 },
  FORBIDDEN: { type: 'AccessDeniedException', status: 400 },
  INTERNAL: { type: 'InternalFailure', status: 500 },
};

/** The errors of the protocol and of SigV4, raised before any action runs (AWS's own shapes). */
export const protocolErrors = {
  missingToken: () => new SageMakerError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  incompleteSignature: (detail: string) => new SageMakerError('IncompleteSignatureException', 400, detail),
  invalidSignature: (detail: string) => new SageMakerError('InvalidSignatureException', 403, detail),
  unrecognizedClient: (detail?: string) => new SageMakerError('UnrecognizedClientException', 403, `The security token included in the request is invalid.${detail ? ` ${detail}` : ''}`),
  unknownOperation: (target: string) => new SageMakerError('UnknownOperationException', 400, `unknown operation '${target}': send X-Amz-Target: SageMaker.<Action> (CreateModel, DescribeModel, ListModels, DeleteModel, CreateTransformJob, DescribeTransformJob, ListTransformJobs, StopTransformJob)`),
  serialization: (detail: string) => new SageMakerError('SerializationException', 400, detail),
};

/** Whatever an action threw, as the error the caller receives; `internal` says it is a bug or an outage. */
export function toSageMakerError(thrown: unknown, renameField: (path: string) => string): { error: SageMakerError; internal: boolean } {
  if (thrown instanceof SageMakerError) return { error: thrown, internal: false };
  if (thrown instanceof AppError) {
    const { type, status } = SAGEMAKER_ERROR_FOR[thrown.code];
    return { error: new SageMakerError(type, status, messageOf(thrown, renameField)), internal: thrown.code === 'INTERNAL' };
  }
  return { error: new SageMakerError('InternalFailure', 500, `internal error: ${rootMessage(thrown)}`), internal: true };
}

/**
 * A validation error's message in SageMaker's words ("2 validation errors detected: ...") with the
 * fields under their SageMaker names; any other message is already written for people and stays.
 */
function messageOf(error: AppError, renameField: (path: string) => string): string {
  const generated = error.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  if (error.issues.length === 0 || error.message !== generated) return error.message;
  const count = error.issues.length;
  return `${count} validation error${count > 1 ? 's' : ''} detected: ${error.issues.map((i) => `${renameField(i.path)}: ${i.message}`).join('; ')}`;
}

function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.split('\n')[0]!.slice(0, 500) || 'unknown error';
}
