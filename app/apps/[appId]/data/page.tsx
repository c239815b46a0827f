import type { Metadata } from 'next';
import { Suspense } from 'react';

import { DataBrowser } from '@/components/data/DataBrowser';
import { routeId } from '@/components/routeId';

export const metadata: Metadata = { title: 'Data · App Actions' };

export default async function AppDataPage(props: { params: Promise<{ appId: string }> }) {
  const { appId } = await props.params;
  // The chosen data source and page come from the query string, only known in the browser.
  return (
    <Suspense fallback={<p className="text-sm text-slate-500">Loading the data…</p>}>
      <DataBrowser appId={routeId(appId)} />
    </Suspense>
  );
}
