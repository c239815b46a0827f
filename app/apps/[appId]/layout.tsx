import type { ReactNode } from 'react';

import { AppNav } from '@/components/AppNav';
import { routeId } from '@/components/routeId';
import { requireAppAccess } from '@/server/auth/pages';

export default async function AppLayout(props: {
  children: ReactNode;
  params: Promise<{ appId: string }>;
}) {
  const { appId } = await props.params;
  const id = routeId(appId);
  // Signed out: to /login and back here; no role on this app: 404, as for a missing app.
  await requireAppAccess(id, `/apps/${id}`);
  return (
    <>
      <AppNav appId={id} />
      {props.children}
    </>
  );
}
