'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { ConsoleOutput } from './ConsoleOutput';
import { formatDuration, formatTime } from './formatters';
import { JsonBlock } from './JsonBlock';
import { productErrorOf } from './productError';
import { RunErrorView } from './RunErrorView';
import { readConsole, type RunLogView } from './runLogView';
import { captionText } from './styles';
import { useTRPC } from './TrpcProvider';

/**
 * Everything support staff need to understand one run: what went in, what came out (or the
 * error and its stack), how long it took and what the code logged. Console output and the
 * version that ran are admin-only, so they are fetched on demand.
 */
export function RunLogDetail({ appId, run }: { appId: number; run: RunLogView }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.runs.get.queryOptions({ appId, logId: run.id }));

  return (
    <div className="grid gap-3 border-t border-slate-200 bg-white p-3">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <Meta term="Started">{formatTime(run.createdAt)}</Meta>
        <Meta term="Duration">{formatDuration(run.durationMs)}</Meta>
        <Meta term="Mode">{run.mode}</Meta>
        <Meta term="Version">{detail.data?.version ?? '…'}</Meta>
      </dl>
      <JsonBlock label="Payload" value={run.payload} />
      {run.error ? <RunErrorView error={run.error} /> : null}
      {run.result ? <JsonBlock label="Result" value={run.result.value} /> : null}
      {!run.error && !run.result ? (
        <p className="text-sm text-slate-500">This run kept no result (scheduled runs do not).</p>
      ) : null}
      {detail.isPending ? <p className="text-sm text-slate-500">Loading console output…</p> : null}
      {detail.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load the console output: {productErrorOf(detail.error).message}
        </p>
      ) : null}
      {detail.data ? <ConsoleOutput lines={readConsole(detail.data.console)} /> : null}
    </div>
  );
}

function Meta({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className={captionText}>{term}</dt>
      <dd className="font-mono text-slate-800">{children}</dd>
    </div>
  );
}
