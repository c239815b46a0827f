import type { Metadata } from 'next';
import { Suspense } from 'react';

import { AppLogExplorer } from '@/components/logs/AppLogExplorer';
import { routeId } from '@/components/routeId';

export const metadata: Metadata = { title: 'Run logs · App Actions' };

export default async function AppLogsPage(props: { params: Promise<{ appId: string }> }) {
  const { appId } = await props.params;
  // The explorer reads its filters from the query string, which is only known in the browser.
  return (
    <Suspense fallback={<p className="text-sm text-slate-500">Loading the run log…</p>}>
      <AppLogExplorer appId={routeId(appId)} />
    </Suspense>
  );
}
