import type { Metadata } from 'next';
import { AuditLog } from '@/components/audit-log';
import { AdminOnly } from '../settings-nav';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditPage() {
  return (
    <AdminOnly what="the team's audit log">
      <AuditLog />
    </AdminOnly>
  );
}
