import Link from 'next/link';

import { ConsoleOutput } from '../ConsoleOutput';
import { formatDuration } from '../formatters';
import { JsonBlock } from '../JsonBlock';
import { captionText } from '../styles';
import type { RunEntry } from './previewState';

const badge: Record<RunEntry['status'], string> = {
  running: 'bg-sky-100 text-sky-800',
  completed: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
};

function logState(run: RunEntry, appId: number) {
  if (run.status === 'running') return null;
  if (run.logError) return <span className="text-red-700">Not logged: {run.logError}</span>;
  if (run.logId === undefined) return <span className="text-slate-500">Logging…</span>;
  if (run.logId === null) return <span className="text-slate-500">Already logged</span>;
  return (
    <Link href={`/apps/${appId}/logs`} className="text-indigo-700 hover:underline">
      Logged as #{run.logId}
    </Link>
  );
}

function RunItem({ run, appId }: { run: RunEntry; appId: number }) {
  return (
    <li
      aria-label={`Run of ${run.name}`}
      className="space-y-2 rounded border border-slate-200 bg-white p-2"
    >
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{run.name}</span>
        <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${badge[run.status]}`}>
          {run.status}
        </span>
        <span className="text-xs text-slate-500">
          {run.trigger} · {run.durationMs === null ? 'running' : formatDuration(run.durationMs)}
        </span>
        <span className="ml-auto text-xs">{logState(run, appId)}</span>
      </p>
      {run.error ? (
        <p role="alert" className="text-sm text-red-800">
          <span className="font-semibold">{run.error.name}</span>: {run.error.message}
        </p>
      ) : null}
      {run.status === 'completed' ? <JsonBlock label="Result" value={run.result} /> : null}
      {run.console.length > 0 ? <ConsoleOutput lines={run.console} /> : null}
    </li>
  );
}

/** Client runs as they happen in this page: each in its own worker, then logged. */
export function ClientRunsPanel({ runs, appId }: { runs: RunEntry[]; appId: number }) {
  return (
    <section aria-labelledby="client-runs-title" className="min-w-0">
      <h2 id="client-runs-title" className={`mb-2 ${captionText}`}>
        Client runs
      </h2>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-500">
          No runs yet. Open Bookings: the demo app&apos;s bookings-screen-tip action runs on it.
        </p>
      ) : (
        <ol aria-label="Client runs" className="space-y-2">
          {runs.map((run) => (
            <RunItem key={run.runId} run={run} appId={appId} />
          ))}
        </ol>
      )}
    </section>
  );
}
