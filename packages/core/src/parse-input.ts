import { AppError, type FieldIssue } from '@sluice/contracts';
import type { z } from 'zod';

/** Parses `input` with `schema`, or throws AppError('VALIDATION') listing every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(request)', message: issue.message }));
  throw validationError(issues);
}

export function validationError(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}
