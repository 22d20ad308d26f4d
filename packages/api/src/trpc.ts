import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { requireAdminRole, requireWriteRole, type Actor, type Core } from '@sluice/core';
import { appCodeOf, issuesOf, toTRPCError } from './errors.js';

/** Built per request: the job service and who is asking. */
export interface ApiContext {
  core: Core;
  actor: Actor;
}

/**
 * What a procedure needs of the caller's role, kept on the procedure so tests can check that every
 * procedure declares it: `write` (members and admins) and `admin` (team admins). Others are reads,
 * or act only on the caller's own account.
 */
export interface ProcedureMeta {
  access?: 'write' | 'admin';
}

const t = initTRPC.context<ApiContext>().meta<ProcedureMeta>().create({
  // Dates (creationTime...) arrive as Dates.
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    message: shape.message,
    code: shape.code,
    // No `stack`: callers get a code and a message they can act on, never a stack trace.
    data: {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      appCode: appCodeOf(error),
      /** Each bad field of the request (dotted path) and what is wrong with it. */
      issues: issuesOf(error),
    },
  }),
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure: whatever it throws reaches the caller through the AppError table. */
export const procedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/**
 * Declares a procedure's input type for clients without checking it here: the job service
 * validates every input itself with the contracts schemas (and reports every bad field), so a
 * second parse in the router would only duplicate that and its error messages.
 */
export function typedInput<T>() {
  return (input: unknown) => input as T;
}

/**
 * A procedure that changes something (create, stop, delete...). Viewers may not call these; the
 * role check lives here so every router gets it the same way (#7).
 */
export const writeProcedure = procedure.meta({ access: 'write' }).use(({ ctx, next }) => {
  requireWriteRole(ctx.actor);
  return next();
});

/** A procedure for team administrators (users, memberships, the audit log). */
export const adminProcedure = procedure.meta({ access: 'admin' }).use(({ ctx, next }) => {
  requireAdminRole(ctx.actor);
  return next();
});
