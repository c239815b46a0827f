import type { Metadata } from 'next';

import { ActionEditor } from '@/components/ActionEditor';
import { routeId } from '@/components/routeId';

export const metadata: Metadata = { title: 'Edit action · App Actions' };

export default async function ActionEditorPage(props: {
  params: Promise<{ appId: string; actionId: string }>;
}) {
  const { appId, actionId } = await props.params;
  return <ActionEditor appId={routeId(appId)} actionId={routeId(actionId)} />;
}
