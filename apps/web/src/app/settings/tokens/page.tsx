import type { Metadata } from 'next';
import { TokensPanel } from '@/components/tokens-panel';
import { UserAccessKeys } from '@/components/user-access-keys';

export const metadata: Metadata = { title: 'Tokens and keys' };

export default function TokensPage() {
  return (
    <div className="space-y-10">
      <TokensPanel />
      <UserAccessKeys />
    </div>
  );
}
