/**
 * Analytics triggers: which actions an analytics event fires. Pure functions with no server
 * imports, because the browser runtime bundles this file and matches events as they happen;
 * the server uses it to pick the actions it sends to browsers.
 */
import { analyticsEventTypes } from './types';

export type AnalyticsEventType = (typeof analyticsEventTypes)[number];

/** The event an app reports and an analytics-triggered action receives as `context.payload`. */
export interface AnalyticsEvent {
  /** Milliseconds since the Unix epoch. */
  createdAt: number;
  type: AnalyticsEventType;
  data: Record<string, unknown>;
}

/** What an analytics trigger's `where` holds once the action was saved (see validate.ts). */
export interface AnalyticsFilter {
  type: string;
  data?: Record<string, unknown>;
}

interface TriggerLike {
  trigger: string;
  where?: Record<string, unknown>;
}

export function isAnalyticsEventType(value: unknown): value is AnalyticsEventType {
  return analyticsEventTypes.some((type) => type === value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The filters of an action's analytics triggers; other triggers are ignored. */
export function analyticsFilters(triggers: readonly TriggerLike[]): AnalyticsFilter[] {
  return triggers.flatMap((entry): AnalyticsFilter[] => {
    if (entry.trigger !== 'analytics' || !entry.where) return [];
    const { type, data } = entry.where;
    if (typeof type !== 'string') return [];
    return [isPlainObject(data) ? { type, data } : { type }];
  });
}

export function hasAnalyticsTrigger(triggers: readonly TriggerLike[]): boolean {
  return analyticsFilters(triggers).length > 0;
}

/**
 * Equality of filter values and event values. Strict for primitives (`77` does not match
 * `"77"`: the spec types `_pageId` as a number, and a loose match would hide a mistyped
 * filter); arrays and plain objects compare member by member.
 */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((item, index) => sameValue(item, actual[index]))
    );
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((key) => Object.hasOwn(actual, key) && sameValue(expected[key], actual[key]))
    );
  }
  return false;
}

/** The event has the filter's type and every key of `where.data` with an equal value. */
export function matchesFilter(filter: AnalyticsFilter, event: AnalyticsEvent): boolean {
  if (filter.type !== event.type) return false;
  const wanted = filter.data ?? {};
  return Object.keys(wanted).every(
    (key) => Object.hasOwn(event.data, key) && sameValue(wanted[key], event.data[key]),
  );
}

/** True when any of the action's analytics triggers matches: the action then runs once. */
export function firesOn(triggers: readonly TriggerLike[], event: AnalyticsEvent): boolean {
  return analyticsFilters(triggers).some((filter) => matchesFilter(filter, event));
}
