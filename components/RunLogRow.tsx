'use client';

import { formatDuration, formatTime } from './formatters';
import { RunLogDetail } from './RunLogDetail';
import { RunStatusBadge } from './RunStatusBadge';
import type { RunLogView } from './runLogView';

/** Columns: id, status, mode, action, duration, time; mode and time drop out on small screens. */
const rowButton =
  'grid w-full grid-cols-[4.5rem_5.5rem_1fr_5rem] items-center gap-2 px-3 py-2 text-left ' +
  'text-sm hover:bg-slate-50 focus-visible:bg-indigo-50 focus-visible:outline-none ' +
  'sm:grid-cols-[4.5rem_5.5rem_6rem_1fr_5rem_13rem]';

interface RunLogRowProps {
  appId: number;
  run: RunLogView;
  /** Shown on the app-wide log, where rows of many actions mix. */
  actionLabel?: string;
  open: boolean;
  onToggle: () => void;
}

/** One run in a log list; expands in place to its detail so the list keeps its position. */
export function RunLogRow({ appId, run, actionLabel, open, onToggle }: RunLogRowProps) {
  const detailId = `run-${run.id}-detail`;
  return (
    <li className="border-b border-slate-200 last:border-b-0" data-run-id={run.id}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={detailId}
        onClick={onToggle}
        className={rowButton}
      >
        <span className="font-mono text-slate-500">#{run.id}</span>
        <RunStatusBadge status={run.status} type={run.type} />
        <span className="hidden text-slate-600 sm:inline">{run.mode}</span>
        <span className="truncate text-slate-800">{actionLabel ?? ''}</span>
        <span className="text-right font-mono text-slate-700">
          {formatDuration(run.durationMs)}
        </span>
        <time
          dateTime={run.createdAt}
          className="hidden whitespace-nowrap text-right text-slate-600 sm:inline"
        >
          {formatTime(run.createdAt)}
        </time>
      </button>
      {open ? (
        <div id={detailId}>
          <RunLogDetail appId={appId} run={run} />
        </div>
      ) : null}
    </li>
  );
}
