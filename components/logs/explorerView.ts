import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from '@/server/api/root';

/**
 * What the log explorer shows (filters, page, open run) as plain data, and its URL form, so a
 * support link such as `/apps/1/logs?outcome=failed&action=3&q=divide` opens the same view.
 * The server validates everything again; parsing here only drops what it cannot use.
 */

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

export type ExplorePageInput = Inputs['runs']['explore'];
export type ExploreChartInput = Inputs['runs']['chart'];
export type ExplorerPage = Outputs['runs']['explore'];
export type ExplorerRow = ExplorerPage['rows'][number];
export type ExplorerChart = Outputs['runs']['chart'];
export type ChartBucket = ExplorerChart['buckets'][number];
export type RerunTarget = Inputs['runs']['rerun']['on'];
export type RerunResult = Outputs['runs']['rerun'];

type Outcome = NonNullable<ExplorePageInput['outcome']>;
type Mode = NonNullable<ExplorePageInput['mode']>;
type RunOn = NonNullable<ExplorePageInput['runOn']>;
type RelativeRange = NonNullable<ExplorePageInput['range']>;
export type RangeChoice = RelativeRange | 'all' | 'custom';

export interface ExplorerView {
  actionId?: number;
  outcome?: Outcome;
  mode?: Mode;
  runOn?: RunOn;
  range: RangeChoice;
  /** ISO instants, used when `range` is `custom`. */
  from?: string;
  to?: string;
  q?: string;
  before?: number;
  after?: number;
  /** The run whose detail drawer is open. */
  run?: number;
}

// Records keyed by the server's own enums: a value added there fails to compile here.
export const outcomeLabels: Record<Outcome, string> = { completed: 'Completed', failed: 'Failed' };
export const modeLabels: Record<Mode, string> = {
  'on-demand': 'On-demand',
  scheduled: 'Scheduled',
};
export const runOnLabels: Record<RunOn, string> = { server: 'Server', client: 'Client' };
export const rangeLabels: Record<RangeChoice, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'All time',
  custom: 'Custom range',
};

/** Bounded, so that opening the explorer never aggregates an app's whole history. */
export const DEFAULT_RANGE: RangeChoice = '7d';
export const SEARCH_MAX_LENGTH = 200;

export const emptyView: ExplorerView = { range: DEFAULT_RANGE };

export function isLabelKey<K extends string>(
  labels: Record<K, string>,
  value: string | null | undefined,
): value is K {
  return typeof value === 'string' && Object.hasOwn(labels, value);
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^[1-9][0-9]{0,15}$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

function instant(value: string | null): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function rangeOf(params: Pick<URLSearchParams, 'get'>): RangeChoice {
  const range = params.get('range');
  if (isLabelKey(rangeLabels, range)) return range;
  return params.get('from') || params.get('to') ? 'custom' : DEFAULT_RANGE;
}

/** Reads a view from a query string; unknown or malformed values are left out. */
export function parseView(params: Pick<URLSearchParams, 'get'>): ExplorerView {
  const outcome = params.get('outcome');
  const mode = params.get('mode');
  const runOn = params.get('runOn');
  const range = rangeOf(params);
  const q = params.get('q')?.trim().slice(0, SEARCH_MAX_LENGTH);
  const before = positiveInt(params.get('before'));
  return {
    actionId: positiveInt(params.get('action')),
    outcome: isLabelKey(outcomeLabels, outcome) ? outcome : undefined,
    mode: isLabelKey(modeLabels, mode) ? mode : undefined,
    runOn: isLabelKey(runOnLabels, runOn) ? runOn : undefined,
    range,
    from: range === 'custom' ? instant(params.get('from')) : undefined,
    to: range === 'custom' ? instant(params.get('to')) : undefined,
    q: q || undefined,
    before,
    after: before === undefined ? positiveInt(params.get('after')) : undefined,
    run: positiveInt(params.get('run')),
  };
}

/** The query string of a view, without defaults, in a stable order. */
export function viewToSearch(view: ExplorerView): string {
  const entries: [string, string | number | undefined][] = [
    ['action', view.actionId],
    ['outcome', view.outcome],
    ['mode', view.mode],
    ['runOn', view.runOn],
    ['range', view.range === DEFAULT_RANGE ? undefined : view.range],
    ['from', view.range === 'custom' ? view.from : undefined],
    ['to', view.range === 'custom' ? view.to : undefined],
    ['q', view.q],
    ['before', view.before],
    ['after', view.after],
    ['run', view.run],
  ];
  const params = new URLSearchParams();
  for (const [key, value] of entries) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

/** A filter change starts again from the newest page. */
export function withFilters(view: ExplorerView, change: Partial<ExplorerView>): ExplorerView {
  return { ...view, ...change, before: undefined, after: undefined };
}

export function hasFilters(view: ExplorerView, fixedActionId?: number): boolean {
  const { actionId, outcome, mode, runOn, range, q } = view;
  const action = fixedActionId === undefined ? actionId : undefined;
  return [action, outcome, mode, runOn, q].some((value) => value !== undefined) ||
    range !== DEFAULT_RANGE;
}

/** The filters as the server takes them; `fixedActionId` wins over the view's action. */
export function chartInputOf(
  appId: number,
  view: ExplorerView,
  fixedActionId?: number,
): ExploreChartInput {
  const relative = view.range !== 'all' && view.range !== 'custom' ? view.range : undefined;
  return {
    appId,
    actionId: fixedActionId ?? view.actionId,
    outcome: view.outcome,
    mode: view.mode,
    runOn: view.runOn,
    range: relative,
    from: view.range === 'custom' ? view.from : undefined,
    to: view.range === 'custom' ? view.to : undefined,
    q: view.q,
  };
}

export function pageInputOf(
  appId: number,
  view: ExplorerView,
  limit: number,
  fixedActionId?: number,
): ExplorePageInput {
  const filters = chartInputOf(appId, view, fixedActionId);
  return { ...filters, before: view.before, after: view.after, limit };
}
