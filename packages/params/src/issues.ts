import type { z } from 'zod';
import { ZTransformRequestSchema, type TransformRequest } from './schema.js';

/** A problem named by its field in SageMaker's words (`DataProcessing.JoinSource`), as the engine's DataProcessing checks name them. */
export interface SageMakerIssue {
  field: string;
  message: string;
}

/** One problem with a request: where it is, its SageMaker name, and what to change. */
export interface ParamIssue extends SageMakerIssue {
  /** The request path: `dataProcessing.joinSource`. */
  path: string;
}

/** A request that cannot run; `issues` names every bad field. */
export class TransformParamsError extends Error {
  override readonly name = 'TransformParamsError';
  constructor(readonly issues: ParamIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** `dataProcessing.joinSource` → `DataProcessing.JoinSource`. */
export function fieldName(path: string): string {
  return path
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
}

/** `DataProcessing.JoinSource` → ['dataProcessing', 'joinSource']. */
export function fieldPath(sageMakerField: string): string[] {
  return sageMakerField.split('.').map((part) => part.charAt(0).toLowerCase() + part.slice(1));
}

/** The request path of an issue named by its SageMaker field. */
export function issueAtPath(issue: SageMakerIssue): ParamIssue {
  return { path: fieldPath(issue.field).join('.'), field: issue.field, message: issue.message };
}

/** zod's issues as ParamIssues, paths relative to the transform parameters. */
export function paramIssues(issues: readonly z.core.$ZodIssue[]): ParamIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { path, field: fieldName(path), message: issue.message };
  });
}

/**
 * SageMaker's limits and cross-field rules, checked once where a request enters (the job service,
 * `sluice transform`, the engine's runTransform). Every issue rather than the first, so a form or
 * a command line can show them all at once.
 */
export function checkTransformRequest(input: unknown): { request: TransformRequest; issues: [] } | { request: undefined; issues: ParamIssue[] } {
  const result = ZTransformRequestSchema.safeParse(input);
  return result.success ? { request: result.data, issues: [] } : { request: undefined, issues: paramIssues(result.error.issues) };
}

/** The checked request; throws TransformParamsError naming every bad field. */
export function parseTransformRequest(input: unknown): TransformRequest {
  const { request, issues } = checkTransformRequest(input);
  if (!request) throw new TransformParamsError(issues);
  return request;
}
