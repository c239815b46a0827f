import type { Metadata } from 'next';

import { AppRunLog } from '@/components/AppRunLog';
import { routeId } from '@/components/routeId';

export const metadata: Metadata = { title: 'Run logs · App Actions' };

export default async function AppLogsPage(props: { params: Promise<{ appId: string }> }) {
  const { appId } = await props.params;
  return <AppRunLog appId={routeId(appId)} />;
}
