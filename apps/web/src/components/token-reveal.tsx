'use client';
import { useId, useRef, useState, type ReactNode } from 'react';

/** One value to copy: a read-only field (select-all on focus) and a Copy button. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  async function copy() {
    field.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard access (plain http on a remote host): the text is selected for Ctrl+C instead.
      setCopied('no');
    }
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input id={id} ref={field} readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellCheck={false} className="block w-full min-w-0 rounded border border-slate-400 bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-900" />
        <button type="button" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`} className="shrink-0 rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100">
          Copy
        </button>
      </div>
      <p aria-live="polite" className="mt-1 h-4 text-xs text-slate-700">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </p>
    </div>
  );
}

/**
 * A secret just created, shown this once: the server keeps only a hash (tokens) or a sealed copy it
 * never returns again (access keys), so the user must copy it now.
 */
export function SecretReveal({ title, onDone, children }: { title: string; onDone: () => void; children: ReactNode }) {
  return (
    <div role="region" aria-label={title} data-secret-reveal className="space-y-3 rounded-lg border border-amber-400 bg-amber-50 p-4">
      <div>
        <p className="font-semibold text-slate-900">{title}</p>
        <p className="text-sm text-amber-950">Copy it now: it will not be shown again. Anyone who has it can act as you in this team.</p>
      </div>
      {children}
      <button type="button" onClick={onDone} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-800">
        I have copied it
      </button>
    </div>
  );
}
