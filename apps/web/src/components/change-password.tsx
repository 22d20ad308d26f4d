'use client';
import { useState, type FormEvent } from 'react';
import { changePassword, isLocalAdmin, type PasswordChanged } from '@/lib/auth-client';
import { useSession } from '@/trpc/session';
import { ErrorMessage } from './error-message';
import { Section } from './section';

const input = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 focus:border-blue-700 focus:outline-none focus:ring-2 focus:ring-blue-700/30';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * The signed-in user's own password: the current one proves it is them. The answer says what the new
 * password ended (their other sessions, their API tokens and access keys), so nothing goes quietly.
 */
export function ChangePassword() {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<PasswordChanged | null>(null);
  if (!session || isLocalAdmin(session)) return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (next !== repeat) return setError(new Error('The new password and its repetition differ.'));
    setBusy(true);
    try {
      setDone(await changePassword(current, next, session!.csrfToken));
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Password" id="password">
      <p className="text-sm text-slate-700">A new password signs you out everywhere else and revokes your API tokens and access keys.</p>
      <form onSubmit={submit} className="mt-3 grid max-w-md gap-3">
        <label className="text-sm font-medium text-slate-900">
          Current password
          <input className={input} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label className="text-sm font-medium text-slate-900">
          New password <span className="font-normal text-slate-600">(at least 10 characters)</span>
          <input className={input} type="password" autoComplete="new-password" required minLength={10} value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        <label className="text-sm font-medium text-slate-900">
          New password again
          <input className={input} type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </label>
        <div>
          <button type="submit" disabled={busy} className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60">
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
      {error ? <ErrorMessage title="The password was not changed" error={error} /> : null}
      {done ? (
        <p role="status" className="mt-3 text-sm text-green-800">
          Password changed. Ended {plural(done.ended.sessions, 'other session')}, revoked {plural(done.ended.tokens, 'API token')} and {plural(done.ended.keys, 'access key')}.
        </p>
      ) : null}
    </Section>
  );
}
