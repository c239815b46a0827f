'use client';

import type { ReactNode } from 'react';

import { captionText } from '../styles';
import type { ExplorerRow } from './explorerView';
import { rowColumns, RunRow } from './RunRow';

interface RunListProps {
  /** The list's accessible name. */
  label: string;
  rows: readonly ExplorerRow[];
  showAction: boolean;
  openRunId: number | undefined;
  newIds: ReadonlySet<number>;
  onOpen: (id: number) => void;
  /** The drawer of the open run, placed inside its row. */
  drawer: ReactNode;
}

/** The page of runs, newest first, with column headings for sighted users when wide. */
export function RunList(props: RunListProps) {
  const { label, rows, showAction, openRunId, newIds, onOpen, drawer } = props;
  return (
    <div className="@container">
      {/* Each row's button already reads out every value, so the headings are visual only. */}
      <div
        aria-hidden="true"
        className={
          `hidden gap-2 border-b border-slate-200 px-3 py-1.5 @3xl:grid ${captionText} ` +
          rowColumns(showAction)
        }
      >
        <span>Run</span>
        <span>Outcome</span>
        {showAction ? <span>Action</span> : null}
        <span>Error</span>
        <span className="text-right">Duration</span>
        <span>Mode · runs on</span>
        <span>Logged</span>
      </div>
      <ul aria-label={label}>
        {rows.map((run) => (
          <RunRow
            key={run.id}
            run={run}
            showAction={showAction}
            open={openRunId === run.id}
            isNew={newIds.has(run.id)}
            onOpen={() => onOpen(run.id)}
          >
            {openRunId === run.id ? drawer : null}
          </RunRow>
        ))}
      </ul>
    </div>
  );
}
