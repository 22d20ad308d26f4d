import type { Metadata } from 'next';
import { ComparisonsList } from '@/components/comparisons-list';

export const metadata: Metadata = { title: 'Comparisons' };

export default async function ComparisonsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // `?pageSize=N` (1–100), as on the jobs page.
  const requested = Number((await searchParams).pageSize);
  const pageSize = Number.isInteger(requested) && requested >= 1 && requested <= 100 ? requested : undefined;
  return <ComparisonsList {...(pageSize ? { pageSize } : {})} />;
}
