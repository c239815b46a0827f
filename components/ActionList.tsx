'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';

import { formatTime } from './formatters';
import { NewActionButton } from './NewActionButton';
import { productErrorOf } from './productError';
import { triggerSummary } from './triggerSummary';
import { useTRPC } from './TrpcProvider';
import { captionText } from './styles';

/** The app's actions at a glance, each linking to its editor. */
export function ActionList({ appId }: { appId: number }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.actions.list.queryOptions({ appId, limit: 100 }));
  const actions = list.data?.actions ?? [];

  return (
    <div className="grid gap-4">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Actions</h1>
          <p className="text-sm text-slate-500">
            JavaScript that runs on demand, on a schedule or when app events happen.
          </p>
        </div>
        <NewActionButton appId={appId} takenNames={actions.map((a) => a.name)} />
      </header>
      {list.isPending ? <p className="text-slate-500">Loading actions…</p> : null}
      {list.isError ? (
        <p role="alert" className="text-red-700">
          Could not load the actions: {productErrorOf(list.error).message}
        </p>
      ) : null}
      {list.isSuccess && actions.length === 0 ? (
        <p className="text-slate-500">No actions yet. Create one with “New action”.</p>
      ) : null}
      {actions.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Actions of app {appId}</caption>
            <thead className={`border-b border-slate-200 bg-slate-50 ${captionText}`}>
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Active</th>
                <th scope="col" className="px-3 py-2">Environment</th>
                <th scope="col" className="px-3 py-2">Triggers</th>
                <th scope="col" className="px-3 py-2">Last run</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((action) => (
                <tr key={action.id} className="border-b border-slate-100 last:border-b-0">
                  <td className="px-3 py-2">
                    <Link
                      href={`/apps/${appId}/actions/${action.id}`}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      {action.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    {action.active ? (
                      <span className="text-emerald-700">Active</span>
                    ) : (
                      <span className="text-slate-500">Inactive</span>
                    )}
                  </td>
                  <td className="px-3 py-2">{action.environment}</td>
                  <td className="px-3 py-2">
                    {action.triggers.length === 0 ? (
                      <span className="text-slate-400">none</span>
                    ) : (
                      <ul className="flex flex-wrap gap-1">
                        {action.triggers.map((trigger, index) => (
                          <li
                            key={index}
                            className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs"
                          >
                            {triggerSummary(trigger, action.frequency)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="px-3 py-2 text-slate-600">
                    {action.lastRunAt ? (
                      <time dateTime={action.lastRunAt}>{formatTime(action.lastRunAt)}</time>
                    ) : (
                      'never'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data && list.data.pagination.hasMore ? (
            <p className="border-t border-slate-200 px-3 py-2 text-sm text-slate-500">
              Showing the first {actions.length} of {list.data.pagination.total} actions.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
