import type { ReactNode } from 'react';

import { requireUser } from '@/server/auth/pages';

export const dynamic = 'force-dynamic';

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  await requireUser('/settings/users');
  return children;
}
