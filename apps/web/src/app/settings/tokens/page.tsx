import type { Metadata } from 'next';
import { ChangePassword } from '@/components/change-password';
import { TokensPanel } from '@/components/tokens-panel';
import { UserAccessKeys } from '@/components/user-access-keys';

export const metadata: Metadata = { title: 'Tokens, keys and password' };

export default function TokensPage() {
  return (
    <div className="space-y-10">
      <TokensPanel />
      <UserAccessKeys />
      <ChangePassword />
    </div>
  );
}
