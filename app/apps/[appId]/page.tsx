import { redirect } from 'next/navigation';

import { routeId } from '@/components/routeId';

/** An app's home is its action list. */
export default async function AppPage(props: { params: Promise<{ appId: string }> }) {
  const { appId } = await props.params;
  redirect(`/apps/${routeId(appId)}/actions`);
}
