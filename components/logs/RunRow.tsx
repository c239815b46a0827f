'use client';

import { useEffect, useRef, type ReactNode } from 'react';

import { formatDuration, formatTime } from '../formatters';
import { RunStatusBadge } from '../RunStatusBadge';
import type { ExplorerRow } from './explorerView';

/**
 * Narrow (the editor's column): id, outcome, time, duration, and the error on a second line.
 * Wide: id, outcome, [action], error, duration, mode · runs on, time.
 */
export function rowColumns(showAction: boolean): string {
  return showAction
    ? 'grid-cols-[4.5rem_5.5rem_1fr_4.5rem] @3xl:grid-cols-[5rem_5.5rem_9rem_1fr_4.5rem_9rem_13rem]'
    : 'grid-cols-[4.5rem_5.5rem_1fr_4.5rem] @3xl:grid-cols-[5rem_5.5rem_1fr_4.5rem_9rem_13rem]';
}

interface RunRowProps {
  run: ExplorerRow;
  showAction: boolean;
  open: boolean;
  /** Arrived since the list was last shown (auto-refresh or a re-run). */
  isNew: boolean;
  onOpen: () => void;
  /** The detail drawer, rendered inside the row while it is open. */
  children?: ReactNode;
}

/**
 * One run. The whole row is one button that opens the run's drawer; the drawer is a modal
 * dialog rendered inside this list item, and focus comes back to the button when it closes.
 */
export function RunRow({ run, showAction, open, isNew, onOpen, children }: RunRowProps) {
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);

  return (
    <li
      data-run-id={run.id}
      className={`border-b border-slate-200 last:border-b-0 ${isNew ? 'bg-amber-50' : ''}`}
    >
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={onOpen}
        className={
          `grid w-full items-center gap-2 px-3 py-2 text-left text-sm hover:bg-slate-50 ` +
          `focus-visible:bg-indigo-50 focus-visible:outline-none ${rowColumns(showAction)}`
        }
      >
        <span className="order-1 font-mono text-slate-500">#{run.id}</span>
        <span className="order-2">
          <RunStatusBadge status={run.outcome ?? 'other'} type={run.type} />
        </span>
        {showAction ? (
          <span className="hidden truncate text-slate-800 @3xl:order-3 @3xl:block">
            {run.actionName ?? `removed action #${run.masterId}`}
          </span>
        ) : null}
        <Summary run={run} />
        <span className="order-4 text-right font-mono text-slate-700 @3xl:order-5">
          {formatDuration(run.durationMs)}
        </span>
        <span className="hidden text-slate-600 @3xl:order-6 @3xl:block">
          {run.mode ?? '—'} · {run.runOn ?? '—'}
        </span>
        <time
          dateTime={run.createdAt}
          className="order-3 truncate whitespace-nowrap text-slate-600 @3xl:order-7"
        >
          {formatTime(run.createdAt)}
        </time>
      </button>
      {children}
    </li>
  );
}

/** The error (or the run this one repeats): a second line when narrow, a column when wide. */
function Summary({ run }: { run: ExplorerRow }) {
  const rerun = run.rerunOf === null ? null : `re-run of #${run.rerunOf}`;
  const place = 'order-5 col-span-4 truncate text-xs @3xl:order-4 @3xl:col-span-1';
  if (run.error) {
    return (
      <span className={`${place} font-mono text-red-800`}>
        {run.error.name}: {run.error.message}
        {rerun ? <span className="ml-2 text-slate-500">({rerun})</span> : null}
      </span>
    );
  }
  // Kept as an empty cell when wide, so the columns after it stay in place.
  const shown = rerun ? '' : 'hidden @3xl:block';
  return <span className={`${place} text-slate-500 ${shown}`}>{rerun}</span>;
}
