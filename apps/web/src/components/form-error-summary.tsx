import type { Ref } from 'react';
import type { FieldIssue } from '@sluice/contracts';
import { errorMessage } from '@/lib/format';

/**
 * What a create form shows above its fields when the server refused it: a heading saying whether
 * fields are marked below, the server's message when it named no field, and the issues no field on
 * the form can show. Focusable (the form moves focus here when no field takes it).
 */
export function FormErrorSummary({ ref, what, error, issues, unmapped, fieldsMarked }: { ref: Ref<HTMLDivElement>; what: string; error: unknown; issues: readonly FieldIssue[]; unmapped: readonly FieldIssue[]; fieldsMarked: boolean }) {
  return (
    <div ref={ref} tabIndex={-1} className="outline-none">
      {error !== null && error !== undefined && (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">{fieldsMarked ? `The ${what} was not created: correct the fields marked below.` : `The ${what} was not created`}</p>
          {issues.length === 0 && <p className="mt-1 break-words">{errorMessage(error)}</p>}
          {unmapped.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {unmapped.map((i) => (
                <li key={`${i.path}:${i.message}`}>{i.path ? `${i.path}: ${i.message}` : i.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
