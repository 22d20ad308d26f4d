import { useId, type ReactNode } from 'react';

/** What a form field gives its control: the id its label points at, and the accessibility state. */
export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

/** A label, its control, a hint and the server's message for it, tied together for screen readers. */
export function FormField({ label, optional, error, hint, children }: { label: string; optional?: boolean; error?: string | undefined; hint?: string; children: (props: ControlProps) => ReactNode }) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div data-field={label}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
        {optional && <span className="font-normal text-slate-600"> (optional)</span>}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {error && (
        <p id={`${id}-error`} data-field-error className="mt-1 text-sm font-medium text-red-800">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
