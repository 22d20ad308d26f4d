import type { Metadata } from 'next';
import { UsersAdmin } from '@/components/users-admin';
import { AdminOnly } from '../settings-nav';

export const metadata: Metadata = { title: 'Users' };

export default function UsersPage() {
  return (
    <AdminOnly what="the team's users">
      <UsersAdmin />
    </AdminOnly>
  );
}
