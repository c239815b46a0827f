import type { Metadata } from 'next';

import { UsersAdmin } from '@/components/settings/UsersAdmin';
import { SettingsNav } from '@/components/settings/SettingsNav';
import { organizationParam } from '@/components/settings/organizationParam';
import { requireUser } from '@/server/auth/pages';

export const metadata: Metadata = { title: 'Users · Settings · App Actions' };

export default async function SettingsUsersPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('/settings/users');
  const organizationId = organizationParam((await props.searchParams).org);
  return (
    <>
      <SettingsNav organizationId={organizationId} />
      <UsersAdmin organizationId={organizationId} />
    </>
  );
}
