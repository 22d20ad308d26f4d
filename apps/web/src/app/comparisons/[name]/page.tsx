import type { Metadata } from 'next';
import { ComparisonDetail } from '@/components/comparison-detail';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function ComparisonPage({ params }: { params: Params }) {
  return <ComparisonDetail name={decodeURIComponent((await params).name)} />;
}
