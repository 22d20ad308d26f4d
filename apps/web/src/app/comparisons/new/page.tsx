import type { Metadata } from 'next';
import { ComparisonForm } from '@/components/comparison-form';
import { jobsFromSearchParam } from '@/lib/comparison-request';

export const metadata: Metadata = { title: 'New comparison' };

export default async function NewComparisonPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // `?jobs=a,b` (a job page's "Compare with…" passes its own name): those jobs start chosen.
  const jobs = jobsFromSearchParam((await searchParams).jobs);
  return <ComparisonForm key={jobs.join(',')} jobs={jobs} />;
}
