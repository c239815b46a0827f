'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';

import { formatTime } from './formatters';
import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';

/** The organisation's apps, each with the way into its actions and its run log. */
export function AppList() {
  const trpc = useTRPC();
  const apps = useQuery(trpc.apps.list.queryOptions());

  return (
    <div className="grid gap-4">
      <h1 className="text-xl font-semibold">Apps</h1>
      {apps.isPending ? <p className="text-slate-500">Loading apps…</p> : null}
      {apps.isError ? (
        <p role="alert" className="text-red-700">
          Could not load the apps: {productErrorOf(apps.error).message}
        </p>
      ) : null}
      {apps.isSuccess && apps.data.length === 0 ? (
        <p className="text-slate-500">This organisation has no apps yet.</p>
      ) : null}
      {apps.data && apps.data.length > 0 ? (
        <ul aria-label="Apps" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {apps.data.map((app) => (
            <li key={app.id} className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4">
              <h2 className="font-semibold">
                <Link href={`/apps/${app.id}/actions`} className="text-indigo-700 hover:underline">
                  {app.name}
                </Link>
              </h2>
              <p className="text-sm text-slate-500">
                App {app.id} ·{' '}
                {app.publishedAt ? `published ${formatTime(app.publishedAt)}` : 'not published'}
              </p>
              <p className="flex gap-4 text-sm">
                <Link href={`/apps/${app.id}/actions`} className="text-indigo-700 hover:underline">
                  Actions
                </Link>
                <Link href={`/apps/${app.id}/logs`} className="text-indigo-700 hover:underline">
                  Run logs
                </Link>
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
