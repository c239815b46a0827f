'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';

import type { RunDetail } from '../apiTypes';
import { ConsoleOutput } from '../ConsoleOutput';
import { formatDuration, formatTime } from '../formatters';
import { JsonBlock } from '../JsonBlock';
import { productErrorOf } from '../productError';
import { RunErrorView } from '../RunErrorView';
import { readConsole, readRunLog } from '../runLogView';
import { RunStatusBadge } from '../RunStatusBadge';
import { captionText, codeBlock } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { RerunControls, type RerunState } from './RerunControls';

interface RunDetailViewProps {
  appId: number;
  runId: number;
  labelId: string;
  closeButton: ReactNode;
  rerun: RerunState | null;
  onRerun: (state: RerunState) => void;
  onOpenRun: (id: number) => void;
}

/** Everything about one run, for the drawer: facts, re-run, payload, outcome, console, code. */
export function RunDetailView(props: RunDetailViewProps) {
  const { appId, runId, labelId, closeButton } = props;
  const trpc = useTRPC();
  const detail = useQuery(trpc.runs.get.queryOptions({ appId, logId: runId }));

  return (
    <article className="grid gap-4">
      <header className="flex items-start justify-between gap-2">
        <h2 id={labelId} className="text-lg font-semibold">
          Run #{runId}
        </h2>
        {closeButton}
      </header>
      {detail.isPending ? <p className="text-sm text-slate-500">Loading the run…</p> : null}
      {detail.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load run #{runId}: {productErrorOf(detail.error).message}
        </p>
      ) : null}
      {detail.data ? <RunBody {...props} detail={detail.data} /> : null}
    </article>
  );
}

function RunBody(props: RunDetailViewProps & { detail: RunDetail }) {
  const { appId, detail, rerun, onRerun, onOpenRun } = props;
  const run = readRunLog(detail);
  return (
    <>
      <RunFacts {...props} />
      <RerunControls
        appId={appId}
        detail={detail}
        state={rerun}
        onDone={onRerun}
        onOpenRun={onOpenRun}
      />
      <JsonBlock label="Payload" value={run.payload} />
      {run.error ? <RunErrorView error={run.error} /> : null}
      {run.result ? <JsonBlock label="Result" value={run.result.value} /> : null}
      {!run.error && !run.result ? (
        <p className="text-sm text-slate-500">This run kept no result (scheduled runs do not).</p>
      ) : null}
      <ConsoleOutput lines={readConsole(detail.console)} />
      <CodeThatRan detail={detail} />
    </>
  );
}

function RunFacts({ appId, detail, onOpenRun }: RunDetailViewProps & { detail: RunDetail }) {
  const run = readRunLog(detail);
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
      <Fact term="Outcome">
        <RunStatusBadge status={run.status} type={run.type} />
      </Fact>
      <Fact term="Action">
        {detail.action ? (
          <Link
            href={`/apps/${appId}/actions/${detail.action.id}`}
            className="text-indigo-700 underline"
          >
            {detail.action.name}
          </Link>
        ) : (
          'removed'
        )}
      </Fact>
      <Fact term="Logged">{formatTime(run.createdAt)}</Fact>
      <Fact term="Duration">{formatDuration(run.durationMs)}</Fact>
      <Fact term="Mode">{run.mode}</Fact>
      <Fact term="Runs on">{runOnOf(detail)}</Fact>
      <Fact term="Version that ran">{detail.version}</Fact>
      <Fact term="Code hash">
        <CodeHash detail={detail} />
      </Fact>
      <Fact term="Run id">
        <span className="break-all font-mono text-xs">{detail.runId}</span>
      </Fact>
      {detail.rerunOf !== null ? (
        <Fact term="Re-run of">
          <RunLinks ids={[detail.rerunOf]} onOpenRun={onOpenRun} />
        </Fact>
      ) : null}
      {detail.reruns.length > 0 ? (
        <Fact term="Re-runs">
          <RunLinks ids={detail.reruns} onOpenRun={onOpenRun} />
        </Fact>
      ) : null}
    </dl>
  );
}

function runOnOf(detail: RunDetail): string {
  return typeof detail.data.runOn === 'string' ? detail.data.runOn : '—';
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className={captionText}>{term}</dt>
      <dd className="text-slate-800">{children}</dd>
    </div>
  );
}

function CodeHash({ detail }: { detail: RunDetail }) {
  if (!detail.codeHash) return <span className="text-slate-500">not recorded (refused before it ran, or its runner stopped first)</span>;
  const matches = detail.action?.matchesMaster;
  return (
    <span>
      <code title={detail.codeHash} className="font-mono text-xs">
        {detail.codeHash.slice(0, 12)}
      </code>
      {matches === undefined ? null : (
        <span className="block text-xs text-slate-500">
          {matches ? 'same code as the current master' : 'the master has changed since'}
        </span>
      )}
    </span>
  );
}

function RunLinks({ ids, onOpenRun }: { ids: readonly number[]; onOpenRun: (id: number) => void }) {
  return (
    <span className="flex flex-wrap gap-x-2">
      {ids.map((id) => (
        <button
          key={id}
          type="button"
          onClick={() => onOpenRun(id)}
          className="font-mono text-indigo-700 underline"
        >
          #{id}
        </button>
      ))}
    </span>
  );
}

function CodeThatRan({ detail }: { detail: RunDetail }) {
  if (!detail.code) return null;
  const dependencies = detail.code.dependencies;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-indigo-700 hover:underline">
        Code that ran ({dependencies.length > 0 ? dependencies.join(', ') : 'no dependencies'})
      </summary>
      <pre
        aria-label="Code that ran"
        className={`${codeBlock} mt-1 border-slate-200 bg-slate-50 text-slate-800`}
      >
        {detail.code.code}
      </pre>
    </details>
  );
}
