'use client';

import { skipToken, useQuery } from '@tanstack/react-query';

import type { TestRunOutcome } from './apiTypes';
import { ConsoleOutput } from './ConsoleOutput';
import { formatDuration } from './formatters';
import { JsonBlock } from './JsonBlock';
import { productErrorOf } from './productError';
import { RunErrorView } from './RunErrorView';
import { readConsole, readRunError, readRunLog } from './runLogView';
import { useTRPC } from './TrpcProvider';

interface TestResultProps {
  appId: number;
  outcome: TestRunOutcome;
  onReveal: (line: number, column: number) => void;
}

/** The returned value or the error, with the run's own duration and its console output. */
export function TestResult({ appId, outcome, onReveal }: TestResultProps) {
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.runs.get.queryOptions(outcome.logId ? { appId, logId: outcome.logId } : skipToken),
  );
  const run = detail.data ? readRunLog(detail.data) : null;
  const fallback = outcome.ok
    ? null
    : { name: outcome.status, message: outcome.message, stack: '' };
  const error = outcome.ok ? null : (readRunError(outcome.error) ?? fallback);

  return (
    <section aria-label="Test result" className="grid gap-3 border-t border-slate-200 pt-3">
      <p className="flex flex-wrap items-baseline gap-x-3 text-sm">
        <span className={`font-semibold ${outcome.ok ? 'text-emerald-700' : 'text-red-700'}`}>
          {outcome.ok ? 'Completed' : 'Failed'}
        </span>
        <span>Run #{outcome.logId}</span>
        <span>
          Duration: <span className="font-mono">{run ? formatDuration(run.durationMs) : '…'}</span>
        </span>
        <span className="text-slate-500">
          Round trip: <span className="font-mono">{formatDuration(outcome.elapsedMs)}</span>
        </span>
      </p>
      {outcome.ok ? <JsonBlock label="Result" value={outcome.result} /> : null}
      {error ? <RunErrorView error={error} onReveal={onReveal} /> : null}
      {detail.data ? <ConsoleOutput lines={readConsole(detail.data.console)} /> : null}
      {detail.isError ? (
        <p className="text-sm text-red-700">
          Could not load the run details: {productErrorOf(detail.error).message}
        </p>
      ) : null}
    </section>
  );
}
