import type { Metadata } from 'next';
import { Suspense } from 'react';

import { Outbox } from '@/components/outbox/Outbox';
import { routeId } from '@/components/routeId';

export const metadata: Metadata = { title: 'Outbox · App Actions' };

export default async function AppOutboxPage(props: { params: Promise<{ appId: string }> }) {
  const { appId } = await props.params;
  // The open tab and message come from the query string, which is only known in the browser.
  return (
    <Suspense fallback={<p className="text-sm text-slate-500">Loading the outbox…</p>}>
      <Outbox appId={routeId(appId)} />
    </Suspense>
  );
}
