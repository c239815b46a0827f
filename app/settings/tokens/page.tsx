import type { Metadata } from 'next';

import { TokensAdmin } from '@/components/settings/TokensAdmin';
import { SettingsNav } from '@/components/settings/SettingsNav';
import { organizationParam } from '@/components/settings/organizationParam';
import { requireUser } from '@/server/auth/pages';

export const metadata: Metadata = { title: 'API tokens · Settings · App Actions' };

export default async function SettingsTokensPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('/settings/tokens');
  const organizationId = organizationParam((await props.searchParams).org);
  return (
    <>
      <SettingsNav organizationId={organizationId} />
      <TokensAdmin organizationId={organizationId} />
    </>
  );
}
