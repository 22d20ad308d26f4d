import type { FieldIssue } from '@sluice/contracts';

/**
 * The per-field issues the API sent with a VALIDATION error (`error.data.issues`), keyed by the
 * field's dotted path, so a form can show each message beside its field.
 */
export function issuesByField(error: unknown): Record<string, string> {
  const issues = (error as { data?: { issues?: FieldIssue[] } } | null)?.data?.issues ?? [];
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[issue.path] ??= issue.message;
  return byField;
}
