import type { Metadata } from 'next';

import { ActionList } from '@/components/ActionList';
import { routeId } from '@/components/routeId';

export const metadata: Metadata = { title: 'Actions · App Actions' };

export default async function ActionsPage(props: { params: Promise<{ appId: string }> }) {
  const { appId } = await props.params;
  return <ActionList appId={routeId(appId)} />;
}
