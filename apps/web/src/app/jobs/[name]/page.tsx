import type { Metadata } from 'next';
import { JobDetail } from '@/components/job-detail';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function JobPage({ params }: { params: Params }) {
  return <JobDetail name={decodeURIComponent((await params).name)} />;
}
