import type { Metadata } from 'next';
import { WorkersList } from '@/components/workers-list';

export const metadata: Metadata = { title: 'Workers' };

export default function WorkersPage() {
  return <WorkersList />;
}
