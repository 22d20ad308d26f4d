'use client';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { AuthRequestError, fetchAuthConfig, formatWait, signIn } from '@/lib/auth-client';
import { errorMessage } from '@/lib/format';
import { useSessionState } from '@/trpc/session';
import { LoadingState } from './loading-state';

const input = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 focus:border-blue-700 focus:outline-none focus:ring-2 focus:ring-blue-700/30 aria-[invalid=true]:border-red-700';

/** "https://login.example.com/realms/x" reads as "login.example.com" on the button. */
function issuerLabel(issuer: string | undefined): string {
  if (!issuer) return 'your identity provider';
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** What went wrong, and for a rate limit how long to wait when the server's words do not say. */
function failureText(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof AuthRequestError && error.status === 429 && error.retryAfterSeconds && !/\d/.test(message)) return `${message} Try again in ${formatWait(error.retryAfterSeconds)}.`;
  return message;
}

/**
 * Email and password (and the team's identity provider when one is configured). Someone already
 * signed in, and everyone in local mode (where the server signs in the local admin), goes on to
 * `next` at once.
 */
export function SignInForm({ next, providerError }: { next: string; providerError?: string }) {
  const router = useRouter();
  const { session, setSession } = useSessionState();
  const config = useQuery({ queryKey: ['sluice', 'auth', 'config'], queryFn: fetchAuthConfig, staleTime: Infinity });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const errorId = useId();
  const titleId = useId();

  useEffect(() => {
    if (session) router.replace(next);
  }, [session, next, router]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const signedIn = await signIn(email.trim(), password);
      setPassword('');
      // The effect above moves on to `next` once the session is in place.
      setSession(signedIn);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  if (session || config.isPending) return <LoadingState label={session ? 'Signed in; opening the dashboard…' : 'Loading…'} rows={2} />;
  const oidc = config.data?.oidc;
  // `providerError`: the server's words, from its redirect back here after a failed OIDC sign-in.
  const shownError = failure ? failureText(failure) : (providerError ?? null);

  return (
    <div className="mx-auto mt-8 w-full max-w-sm space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div>
        <h1 id={titleId} className="text-2xl font-semibold tracking-tight">
          Sign in to Sluice
        </h1>
        <p className="mt-1 text-sm text-slate-700">Use the email and password your team admin gave you.</p>
      </div>
      {config.isError && (
        <p role="alert" className="text-sm text-red-800">
          {errorMessage(config.error)}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={titleId} className="space-y-4">
        <label className="block text-sm font-medium text-slate-800">
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={Boolean(failure)} aria-describedby={shownError ? errorId : undefined} className={input} autoFocus />
        </label>
        <label className="block text-sm font-medium text-slate-800">
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(failure)} aria-describedby={shownError ? errorId : undefined} className={input} />
        </label>
        {shownError && (
          <p id={errorId} role="alert" data-sign-in-error className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            {shownError}
          </p>
        )}
        <button type="submit" disabled={busy || !email.trim() || !password} className="w-full rounded bg-blue-700 px-3 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidc?.enabled && (
        <>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-600" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
          {/* A plain link: the server answers with a redirect to the issuer, and the issuer's back to `next`. */}
          <a href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`} className="block w-full rounded border border-slate-400 bg-white px-3 py-2 text-center text-sm font-semibold text-slate-900 hover:bg-slate-100">
            Sign in with {issuerLabel(oidc.issuer)}
          </a>
        </>
      )}
    </div>
  );
}
