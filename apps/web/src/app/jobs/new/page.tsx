import type { Metadata } from 'next';
import { NewJobForm } from '@/components/new-job-form';

export const metadata: Metadata = { title: 'New job' };

export default async function NewJobPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const clone = (await searchParams).clone;
  const cloneFrom = typeof clone === 'string' && clone !== '' ? clone : undefined;
  // Keyed by the source so that following a second Clone link starts from a fresh draft.
  return <NewJobForm key={cloneFrom ?? ''} {...(cloneFrom ? { cloneFrom } : {})} />;
}
