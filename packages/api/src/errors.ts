import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { AppError, type AppErrorCode } from '@sluice/contracts';

/**
 * The one table from the job service's error codes to tRPC's (and so to HTTP statuses: tRPC maps
 * BAD_REQUEST to 400, CONFLICT to 409...). Every failure a caller sees goes through it.
 */
export const TRPC_CODE_FOR: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'CONFLICT',
  CONFLICT: 'CONFLICT',
  LIMIT_EXCEEDED: 'TOO_MANY_REQUESTS',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/**
 * What a procedure threw, as the TRPCError the caller receives. An AppError keeps its code and
 * message (and stays the cause, for the error formatter's `appCode` and `issues`). Anything else
 * is a bug or an outage: the caller gets INTERNAL with the root cause's first line, never a stack.
 */
export function toTRPCError(thrown: unknown): TRPCError {
  if (thrown instanceof TRPCError && !(thrown.cause instanceof AppError) && thrown.code !== 'INTERNAL_SERVER_ERROR') return thrown;
  const cause = thrown instanceof TRPCError && thrown.cause ? thrown.cause : thrown;
  const app = cause instanceof AppError ? cause : new AppError('INTERNAL', `internal error: ${rootMessage(cause)}`);
  return new TRPCError({ code: TRPC_CODE_FOR[app.code], message: app.message, cause: app });
}

/** The AppError behind a tRPC error, when there is one. */
export function appErrorOf(error: TRPCError): AppError | undefined {
  return error.cause instanceof AppError ? error.cause : undefined;
}

/**
 * Errors tRPC raises itself, before any procedure runs (no such procedure, unparsable body, wrong
 * HTTP method), have no AppError: give them the nearest code so callers can still branch on it.
 */
export function appCodeForTransportError(code: TRPC_ERROR_CODE_KEY): AppErrorCode {
  if (code === 'NOT_FOUND') return 'NOT_FOUND';
  if (code === 'INTERNAL_SERVER_ERROR') return 'INTERNAL';
  return 'VALIDATION';
}

/** The innermost cause's message, first line only: driver errors wrap the SQL around it. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.split('\n')[0]!.slice(0, 500) || 'unknown error';
}
