import type { Metadata } from 'next';
import { ModelsList } from '@/components/models-list';

export const metadata: Metadata = { title: 'Models' };

export default function ModelsPage() {
  return <ModelsList />;
}
