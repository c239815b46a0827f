/**
 * The analytics events `Fliplet.App.Analytics` builds, in the shape analytics-triggered
 * actions receive as `context.payload`: `{ createdAt, type, data }`, where `data` carries the
 * `_`-prefixed context fields (screen, platform, OS, session and device ids) and, for custom
 * events and extra page-view fields, the caller's own JSON fields.
 */
import type { AnalyticsEvent } from '../../../triggers/analytics';
import { isRecord } from './protocol';

/** Who and where: the same for every event of a page load, except the screen. */
export interface AnalyticsContext {
  platform: 'web' | 'native';
  /** As browsers name it (`navigator.platform`): `Win32`, `MacIntel`, `Linux x86_64`, … */
  os: string;
  /** A UUID per browser session (tab), kept in sessionStorage. */
  sessionId: string;
  /** A UUID per device (browser profile), kept in localStorage. */
  deviceTrackingId: string;
}

export interface Screen {
  pageId: number;
  pageTitle: string;
}

/** The caller's fields as JSON, without the `_` keys the runtime owns. */
function ownFields(fields: unknown, what: string): Record<string, unknown> {
  if (fields === undefined || fields === null) return {};
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(fields));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`${what} must be JSON-serialisable: ${reason}`);
  }
  if (!isRecord(copy)) throw new TypeError(`${what} must be an object of fields`);
  return Object.fromEntries(Object.entries(copy).filter(([key]) => !key.startsWith('_')));
}

export function readScreen(value: unknown): Screen {
  if (!isRecord(value)) {
    throw new TypeError('pageView needs the screen: { pageId: number, pageTitle: string }');
  }
  const { pageId, pageTitle } = value;
  if (typeof pageId !== 'number' || !Number.isFinite(pageId)) {
    throw new TypeError('pageView needs a numeric pageId (the screen id)');
  }
  if (pageTitle !== undefined && typeof pageTitle !== 'string') {
    throw new TypeError('pageTitle must be a string');
  }
  return { pageId, pageTitle: pageTitle ?? '' };
}

function contextFields(context: AnalyticsContext, screen: Screen | null) {
  return {
    ...(screen ? { _pageTitle: screen.pageTitle } : {}),
    _platform: context.platform,
    _os: context.os,
    _analyticsSessionId: context.sessionId,
    ...(screen ? { _pageId: screen.pageId } : {}),
    _deviceTrackingId: context.deviceTrackingId,
  };
}

export function pageViewEvent(
  context: AnalyticsContext,
  screen: Screen,
  extra: unknown,
  now: number,
): AnalyticsEvent {
  const data = { ...contextFields(context, screen), ...ownFields(extra, 'pageView fields') };
  return { createdAt: now, type: 'analytics.pageView', data };
}

/** A custom event; it carries the screen of the last page view, when there was one. */
export function customEvent(
  context: AnalyticsContext,
  screen: Screen | null,
  fields: unknown,
  now: number,
): AnalyticsEvent {
  const own = ownFields(fields, 'event fields');
  const data = { ...contextFields(context, screen), ...own };
  return { createdAt: now, type: 'analytics.event', data };
}
