'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { useTRPC } from '../TrpcProvider';
import { chartInputOf, pageInputOf, type ExplorerView } from './explorerView';

/** How often the newest page and the chart refresh while the tab is visible. */
const PAGE_REFRESH_MS = 5_000;
const CHART_REFRESH_MS = 15_000;

interface ExplorerQueryOptions {
  appId: number;
  view: ExplorerView;
  fixedActionId: number | undefined;
  pageSize: number;
  autoRefresh: boolean;
}

/**
 * The explorer's data: the page, the chart and (for the action filter) the app's actions.
 * Only the newest page polls; react-query stops polling by itself while the tab is hidden.
 * Earlier data stays on screen while a new filter loads, so the layout does not jump.
 */
export function useExplorerQueries(options: ExplorerQueryOptions) {
  const { appId, view, fixedActionId, pageSize, autoRefresh } = options;
  const trpc = useTRPC();
  const firstPage = view.before === undefined && view.after === undefined;
  const pageInput = pageInputOf(appId, view, pageSize, fixedActionId);
  const page = useQuery({
    ...trpc.runs.explore.queryOptions(pageInput),
    placeholderData: keepPreviousData,
    refetchInterval: autoRefresh && firstPage ? PAGE_REFRESH_MS : false,
  });
  const chart = useQuery({
    ...trpc.runs.chart.queryOptions(chartInputOf(appId, view, fixedActionId)),
    placeholderData: keepPreviousData,
    refetchInterval: autoRefresh ? CHART_REFRESH_MS : false,
  });
  const actions = useQuery({
    ...trpc.actions.list.queryOptions({ appId, limit: 100 }),
    enabled: fixedActionId === undefined,
  });
  return { firstPage, pageKey: JSON.stringify(pageInput), page, chart, actions };
}
