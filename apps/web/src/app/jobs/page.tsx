import type { Metadata } from 'next';
import { JobsList } from '@/components/jobs-list';

export const metadata: Metadata = { title: 'Jobs' };

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // `?pageSize=N` (1–100) for people with tall screens, and for tests of paging.
  const requested = Number((await searchParams).pageSize);
  const pageSize = Number.isInteger(requested) && requested >= 1 && requested <= 100 ? requested : undefined;
  return <JobsList {...(pageSize ? { pageSize } : {})} />;
}
