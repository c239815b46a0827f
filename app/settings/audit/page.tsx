import type { Metadata } from 'next';

import { AuditTrail } from '@/components/settings/AuditTrail';
import { SettingsNav } from '@/components/settings/SettingsNav';
import { organizationParam } from '@/components/settings/organizationParam';
import { requireUser } from '@/server/auth/pages';

export const metadata: Metadata = { title: 'Audit trail · Settings · App Actions' };

export default async function SettingsAuditPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('/settings/audit');
  const organizationId = organizationParam((await props.searchParams).org);
  return (
    <>
      <SettingsNav organizationId={organizationId} />
      <AuditTrail organizationId={organizationId} />
    </>
  );
}
