import type { Metadata } from 'next';
import { ModelDetail } from '@/components/model-detail';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function ModelPage({ params }: { params: Params }) {
  return <ModelDetail name={decodeURIComponent((await params).name)} />;
}
