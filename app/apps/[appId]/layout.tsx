import type { ReactNode } from 'react';

import { AppNav } from '@/components/AppNav';
import { routeId } from '@/components/routeId';

export default async function AppLayout(props: {
  children: ReactNode;
  params: Promise<{ appId: string }>;
}) {
  const { appId } = await props.params;
  return (
    <>
      <AppNav appId={routeId(appId)} />
      {props.children}
    </>
  );
}
