'use client';

import { useId, useState, type ReactNode } from 'react';

import { productErrorOf } from '../productError';
import { ExplorerFilters, type ViewChange } from './ExplorerFilters';
import { ExplorerHeader } from './ExplorerHeader';
import { ExplorerPager } from './ExplorerPager';
import { hasFilters, rangeLabels, type ExplorerRow, type ExplorerView } from './explorerView';
import type { RerunState } from './RerunControls';
import { RunChart } from './RunChart';
import { RunDetailView } from './RunDetailView';
import { RunDrawer } from './RunDrawer';
import { RunList } from './RunList';
import { useExplorerQueries } from './useExplorerQueries';
import { useNewRuns } from './useNewRuns';

export interface LogExplorerProps {
  appId: number;
  view: ExplorerView;
  onViewChange: ViewChange;
  /** Only this master action's runs; the action filter is then not offered. */
  fixedActionId?: number;
  title: string;
  headingLevel: 1 | 2;
  /** The accessible name of the list of runs. */
  listLabel: string;
  pageSize: number;
  /** A lower chart, for narrow places such as the action editor. */
  compact?: boolean;
}

/**
 * The log explorer: filters, a chart of runs over time, the runs newest first with keyset
 * paging, and a drawer with everything about one run and its re-run. Where the view lives
 * (the URL or component state) is the caller's choice: see AppLogExplorer and RunLogList.
 */
export function LogExplorer(props: LogExplorerProps) {
  const { appId, view, onViewChange, fixedActionId } = props;
  const idPrefix = useId();
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [rerun, setRerun] = useState<RerunState | null>(null);
  const queries = useExplorerQueries({ ...props, fixedActionId, autoRefresh });
  const { firstPage, page, chart } = queries;
  const rows = page.data?.rows;
  const fresh = useNewRuns(rows, queries.pageKey);

  const openRun = (id: number | undefined) => onViewChange({ ...view, run: id }, 'replace');
  const toPage = (cursor: { before?: number; after?: number }) =>
    onViewChange({ ...view, before: cursor.before, after: cursor.after }, 'push');
  const onRerun = (state: RerunState) => {
    setRerun(state);
    // The new run is the newest: show the newest page, where it lands on top.
    if (!firstPage) onViewChange({ ...view, before: undefined, after: undefined }, 'replace');
  };
  const openId = view.run;
  const openInList = rows?.some((row) => row.id === openId) ?? false;
  const drawer = openId === undefined ? null : (
    <RunDrawer labelId={`${idPrefix}-run`} onClose={() => openRun(undefined)}>
      {(closeButton) => (
        <RunDetailView
          appId={appId}
          runId={openId}
          labelId={`${idPrefix}-run`}
          closeButton={closeButton}
          rerun={rerun}
          onRerun={onRerun}
          onOpenRun={openRun}
        />
      )}
    </RunDrawer>
  );

  return (
    <section aria-labelledby={`${idPrefix}-heading`} className="@container grid gap-3">
      <ExplorerHeader
        {...props}
        headingId={`${idPrefix}-heading`}
        fixedActionId={fixedActionId}
        autoRefresh={autoRefresh}
        onAutoRefresh={setAutoRefresh}
      />
      <ExplorerFilters
        idPrefix={idPrefix}
        view={view}
        onChange={onViewChange}
        actions={queries.actions.data?.actions}
        fixedActionId={fixedActionId}
      />
      {chart.data ? <RunChart chart={chart.data} compact={props.compact} /> : null}
      {chart.isError ? <Problem what="the chart" error={chart.error} /> : null}
      <p role="status" aria-live="polite" className="sr-only">
        {fresh.announcement}
      </p>
      <RerunNotice
        rerun={rerun}
        rows={rows}
        settled={firstPage && !page.isFetching}
        onOpen={openRun}
      />
      <div className="rounded-lg border border-slate-200 bg-white">
        {page.isPending ? <p className="p-3 text-sm text-slate-500">Loading runs…</p> : null}
        {page.isError ? <Problem what="the runs" error={page.error} /> : null}
        {rows?.length === 0 ? (
          <EmptyList
            filtered={hasFilters(view, fixedActionId)}
            range={rangeLabels[view.range]}
          />
        ) : null}
        {rows && rows.length > 0 ? (
          <RunList
            label={props.listLabel}
            rows={rows}
            showAction={fixedActionId === undefined}
            openRunId={view.run}
            newIds={fresh.ids}
            onOpen={openRun}
            drawer={openInList ? drawer : null}
          />
        ) : null}
        <ExplorerPager
          older={page.data?.older ?? null}
          newer={page.data?.newer ?? null}
          onNewest={firstPage ? null : () => toPage({})}
          onOlder={(before) => toPage({ before })}
          onNewer={(after) => toPage({ after })}
        />
      </div>
      {/* A run opened from a link, or pushed off the page, still gets its drawer. */}
      {openInList ? null : drawer}
    </section>
  );
}

function EmptyList({ filtered, range }: { filtered: boolean; range: string }): ReactNode {
  if (filtered) return <p className="p-3 text-sm text-slate-500">No runs match these filters.</p>;
  return (
    <p className="p-3 text-sm text-slate-500">
      No runs yet. (Showing the {range.toLowerCase()}; choose “All time” for older runs.)
    </p>
  );
}

function Problem({ what, error }: { what: string; error: unknown }) {
  return (
    <p role="alert" className="p-3 text-sm text-red-700">
      Could not load {what}: {productErrorOf(error).message}
    </p>
  );
}

interface RerunNoticeProps {
  rerun: RerunState | null;
  rows: readonly ExplorerRow[] | undefined;
  /** The newest page is showing and not being refreshed, so absence means "filtered out". */
  settled: boolean;
  onOpen: (id: number) => void;
}

/** A re-run that the current filters hide (say, a failure re-run that now completes). */
function RerunNotice({ rerun, rows, settled, onOpen }: RerunNoticeProps) {
  const row = rerun?.result.row;
  if (!row || !rows || !settled || rows.some((shown) => shown.id === row.id)) return null;
  return (
    <p className="rounded border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900">
      Re-run #{row.id} ({row.outcome ?? row.type}) does not match the current filters.{' '}
      <button type="button" className="text-indigo-700 underline" onClick={() => onOpen(row.id)}>
        Open run #{row.id}
      </button>
    </p>
  );
}
