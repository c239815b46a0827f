'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { productErrorOf } from './productError';
import { RunLogRow } from './RunLogRow';
import { readRunLog } from './runLogView';
import { useTRPC } from './TrpcProvider';
import { secondaryButton } from './styles';

const PAGE_SIZE = 50;

interface RunLogListProps {
  appId: number;
  /** Only this action's runs (master and production); all of the app's runs when absent. */
  actionId?: number;
  /** Names of the app's actions by id, for the app-wide list. */
  actionNames?: ReadonlyMap<number, string>;
  title?: string;
}

/** Runs newest first; each row opens its detail below it. */
export function RunLogList({ appId, actionId, actionNames, title = 'Run log' }: RunLogListProps) {
  const trpc = useTRPC();
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [openId, setOpenId] = useState<number | null>(null);
  const logs = useQuery(trpc.runs.logs.queryOptions({ appId, actionId, limit }));
  const runs = logs.data?.logs.map(readRunLog) ?? [];
  const headingId = `run-log-heading-${actionId ?? 'app'}`;

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white">
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 p-2">
        <h2 id={headingId} className="font-semibold">
          {title}
        </h2>
        <button
          type="button"
          onClick={() => void logs.refetch()}
          disabled={logs.isFetching}
          className={secondaryButton}
        >
          {logs.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>
      {logs.isPending ? <p className="p-3 text-sm text-slate-500">Loading runs…</p> : null}
      {logs.isError ? (
        <p role="alert" className="p-3 text-sm text-red-700">
          Could not load the run log: {productErrorOf(logs.error).message}
        </p>
      ) : null}
      {logs.isSuccess && runs.length === 0 ? (
        <p className="p-3 text-sm text-slate-500">No runs yet.</p>
      ) : null}
      {runs.length > 0 ? (
        <ul aria-label={title}>
          {runs.map((run) => (
            <RunLogRow
              key={run.id}
              appId={appId}
              run={run}
              actionLabel={labelFor(run.taskId, actionNames)}
              open={openId === run.id}
              onToggle={() => setOpenId(openId === run.id ? null : run.id)}
            />
          ))}
        </ul>
      ) : null}
      {logs.data && logs.data.count >= limit ? (
        <div className="border-t border-slate-200 p-2 text-center">
          <button
            type="button"
            onClick={() => setLimit(limit + PAGE_SIZE)}
            className="text-sm text-indigo-700 hover:underline"
          >
            Show older runs
          </button>
        </div>
      ) : null}
    </section>
  );
}

function labelFor(taskId: number | null, names: ReadonlyMap<number, string> | undefined) {
  if (!names) return undefined;
  if (taskId === null) return 'unknown action';
  // Production rows are not in the master list, so their runs show the id that ran.
  return names.get(taskId) ?? `action #${taskId}`;
}
