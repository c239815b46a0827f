'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { RunDetail } from '../apiTypes';
import { useCan } from '../auth/useCan';
import { formatDuration } from '../formatters';
import { productErrorOf } from '../productError';
import { primaryButton, secondaryButton } from '../styles';
import { useTRPC } from '../TrpcProvider';
import type { RerunResult, RerunTarget } from './explorerView';

/** The last re-run made from the drawer; kept by the explorer so it survives a re-render. */
export interface RerunState {
  of: number;
  on: RerunTarget;
  result: RerunResult;
}

interface RerunControlsProps {
  appId: number;
  detail: RunDetail;
  state: RerunState | null;
  onDone: (state: RerunState) => void;
  onOpenRun: (id: number) => void;
}

const targetLabels: Record<RerunTarget, string> = {
  'same-version': 'the version that ran',
  master: 'the current master',
};

/**
 * Re-runs the run with its payload, on the exact code that ran or on the current master, and
 * shows how the new run ended. The explorer's queries are refreshed so the new row shows up.
 */
export function RerunControls(props: RerunControlsProps) {
  const { appId, detail, state, onDone, onOpenRun } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rerun = useMutation(
    trpc.runs.rerun.mutationOptions({
      onSuccess: (result, input) => {
        onDone({ of: input.logId, on: input.on, result });
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.runs.explore.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.runs.chart.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey() }),
        ]);
      },
    }),
  );
  const start = (on: RerunTarget) => rerun.mutate({ appId, logId: detail.id, on });
  const failure = rerun.error ? productErrorOf(rerun.error) : null;
  const shown = state?.of === detail.id ? state : null;
  const noCode = !detail.code;
  if (!useCan('rerun', appId)) return null;

  return (
    <section
      aria-labelledby="rerun-heading"
      className="grid gap-2 rounded border border-slate-200 p-3"
    >
      <h3 id="rerun-heading" className="font-semibold">
        Re-run
      </h3>
      <p className="text-sm text-slate-600">
        Runs the action again with this run’s payload. The new run is queued like any on-demand
        run and logged as a re-run of #{detail.id}.
        {detail.action?.matchesMaster ? ' The master still has the code that ran.' : ''}
      </p>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={primaryButton}
          disabled={rerun.isPending || noCode}
          aria-describedby={noCode ? 'rerun-no-code' : undefined}
          onClick={() => start('same-version')}
        >
          Re-run this version
        </button>
        <button
          type="button"
          className={secondaryButton}
          disabled={rerun.isPending}
          onClick={() => start('master')}
        >
          Re-run on current master
        </button>
      </div>
      {noCode ? (
        <p id="rerun-no-code" className="text-xs text-slate-500">
          No code version was recorded for this run (it was refused before it ran, or its runner
          stopped before recording it); only the current master can run it.
        </p>
      ) : null}
      <div role="status" aria-live="polite" className="text-sm">
        {rerun.isPending ? `Re-running on ${targetLabels[rerun.variables.on]}…` : null}
        {!rerun.isPending && shown ? <RerunOutcome state={shown} onOpenRun={onOpenRun} /> : null}
      </div>
      {failure ? (
        <p role="alert" className="text-sm text-red-700">
          <span className="font-mono font-semibold">{failure.status}</span>: {failure.message}
        </p>
      ) : null}
    </section>
  );
}

interface RerunOutcomeProps {
  state: RerunState;
  onOpenRun: (id: number) => void;
}

function RerunOutcome({ state, onOpenRun }: RerunOutcomeProps) {
  const { row, runId } = state.result;
  if (!row) {
    return (
      <p className="text-slate-700">
        Re-run queued (run id <span className="font-mono">{runId}</span>); it will appear in the
        list once a runner has finished it.
      </p>
    );
  }
  const tone = row.outcome === 'failed' ? 'text-red-800' : 'text-emerald-800';
  return (
    <p className={tone}>
      Re-run on {targetLabels[state.on]} as run #{row.id}: {row.outcome ?? row.type} in{' '}
      {formatDuration(row.durationMs)}
      {row.error ? ` (${row.error.name}: ${row.error.message})` : ''}.{' '}
      <button type="button" onClick={() => onOpenRun(row.id)} className="text-indigo-700 underline">
        Open run #{row.id}
      </button>
    </p>
  );
}
