import type { Metadata } from 'next';
import { SignInForm } from '@/components/sign-in-form';
import { safeNextPath } from '@/lib/auth-client';

export const metadata: Metadata = { title: 'Sign in' };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `?next=/jobs/x` (where to go after), `?error=…` (why an identity provider's sign-in failed). */
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const error = first(params.error)?.slice(0, 300);
  return <SignInForm next={safeNextPath(first(params.next))} {...(error ? { providerError: error } : {})} />;
}
