'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import { RunLogList } from './RunLogList';
import { useTRPC } from './TrpcProvider';

/** Every run of the app, newest first, labelled with the action that ran. */
export function AppRunLog({ appId }: { appId: number }) {
  const trpc = useTRPC();
  const actions = useQuery(trpc.actions.list.queryOptions({ appId, limit: 100 }));
  const names = useMemo(
    () => new Map((actions.data?.actions ?? []).map((action) => [action.id, action.name])),
    [actions.data],
  );
  return (
    <div className="grid gap-4">
      <h1 className="text-xl font-semibold">Run logs</h1>
      <RunLogList appId={appId} actionNames={names} title="Runs of this app" />
    </div>
  );
}
