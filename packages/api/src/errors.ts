import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { AppError, type AppErrorCode, type FieldIssue } from '@sluice/contracts';

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
 * message (and stays the cause, for `appCode` and `issues`). Anything else is a bug or an outage:
 * INTERNAL with the root cause's first line, the original kept as the cause for the server log.
 */
export function toTRPCError(thrown: unknown): TRPCError {
  // tRPC wraps whatever a procedure throws in an INTERNAL_SERVER_ERROR caused by the original.
  const original = thrown instanceof TRPCError && thrown.code === 'INTERNAL_SERVER_ERROR' && thrown.cause ? thrown.cause : thrown;
  if (original instanceof AppError) return new TRPCError({ code: TRPC_CODE_FOR[original.code], message: original.message, cause: original });
  // Raised on purpose with its own code (by tRPC or a middleware): keep it.
  if (original instanceof TRPCError) return original;
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `internal error: ${rootMessage(original)}`, cause: original instanceof Error ? original : undefined });
}

/**
 * The AppError code a caller branches on. Errors tRPC raises itself before any procedure runs
 * (no such procedure, unparsable body, wrong method) have none: they get the nearest.
 */
export function appCodeOf(error: TRPCError): AppErrorCode {
  if (error.cause instanceof AppError) return error.cause.code;
  if (error.code === 'NOT_FOUND') return 'NOT_FOUND';
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'INTERNAL';
  return 'VALIDATION';
}

/** Each bad field of the request, when the job service named them. */
export function issuesOf(error: TRPCError): FieldIssue[] {
  return error.cause instanceof AppError ? error.cause.issues : [];
}

/** The innermost cause's message, first line only: driver errors wrap the SQL around it. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.split('\n')[0]!.slice(0, 500) || 'unknown error';
}
