import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { PreviewApp } from '@/components/preview/PreviewApp';
import { routeId } from '@/components/routeId';
import { requireAppAccess } from '@/server/auth/pages';
import { db } from '@/server/db/client';
import { isAppError } from '@/server/errors';
import { previewSession } from '@/server/sdk/runtime/preview-token';

export const metadata: Metadata = { title: 'App preview · App Actions' };
// Every visit mints its own short-lived token: never cached, never prerendered.
export const dynamic = 'force-dynamic';

export default async function AppPreviewPage(props: {
  params: Promise<{ appId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { appId: segment } = await props.params;
  const appId = routeId(segment);
  // Checked here, not only in the app layout: this page mints a token while it renders.
  const access = await requireAppAccess(appId, `/apps/${appId}/preview`);
  const { clientTimeoutMs } = await props.searchParams;
  const session = await previewSession(
    db(),
    appId,
    typeof clientTimeoutMs === 'string' ? clientTimeoutMs : undefined,
    access.role,
  ).catch((error: unknown) => {
    if (isAppError(error) && error.status === 'APP_NOT_FOUND') notFound();
    throw error;
  });
  return (
    <PreviewApp
      appId={appId}
      token={session.token}
      expiresAt={session.expiresAt.toISOString()}
      clientTimeoutMs={session.clientTimeoutMs}
    />
  );
}
