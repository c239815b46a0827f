import { describe, expect, it } from 'vitest';

import {
  analyticsFilters,
  firesOn,
  hasAnalyticsTrigger,
  matchesFilter,
  sameValue,
  type AnalyticsEvent,
} from './analytics';

const pageView = (data: Record<string, unknown>): AnalyticsEvent => ({
  createdAt: 1773305212383,
  type: 'analytics.pageView',
  data: {
    _pageTitle: 'Bookings',
    _platform: 'web',
    _os: 'Linux x86_64',
    _analyticsSessionId: 'f6de95cb-e69b-4dca-a114-cc3961d379b2',
    _deviceTrackingId: '3304672d-5d25-4a01-a48a-03e4286f42db',
    ...data,
  },
});

const custom = (data: Record<string, unknown>): AnalyticsEvent => ({
  createdAt: 1773305212383,
  type: 'analytics.event',
  data,
});

describe('[TRIGGERS]: analytics matching', () => {
  it('matches on the type alone when where has no data', () => {
    const filter = { type: 'analytics.pageView' };
    expect(matchesFilter(filter, pageView({ _pageId: 1 }))).toBe(true);
    expect(matchesFilter(filter, custom({ _pageId: 1 }))).toBe(false);
  });

  it('needs every key of where.data, each equal', () => {
    const filter = { type: 'analytics.pageView', data: { _pageId: 9535, _platform: 'web' } };
    expect(matchesFilter(filter, pageView({ _pageId: 9535 }))).toBe(true);
    expect(matchesFilter(filter, pageView({ _pageId: 9536 }))).toBe(false);
    expect(matchesFilter(filter, pageView({ _pageId: 9535, _platform: 'native' }))).toBe(false);
  });

  it('treats an empty where.data as no filter', () => {
    expect(matchesFilter({ type: 'analytics.event', data: {} }, custom({}))).toBe(true);
  });

  it('does not match a key the event lacks, even against null', () => {
    const filter = { type: 'analytics.event', data: { label: null } };
    expect(matchesFilter(filter, custom({}))).toBe(false);
    expect(matchesFilter(filter, custom({ label: null }))).toBe(true);
  });

  it('compares strictly: a number does not match its string', () => {
    const filter = { type: 'analytics.pageView', data: { _pageId: 77 } };
    expect(matchesFilter(filter, pageView({ _pageId: '77' }))).toBe(false);
    expect(matchesFilter({ type: 'analytics.event', data: { value: 0 } }, custom({ value: false })))
      .toBe(false);
  });

  it('compares arrays and objects member by member', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: 3 }] })).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({}, [])).toBe(false);
  });

  it('is not fooled by inherited keys', () => {
    const filter = { type: 'analytics.event', data: { toString: 'x' } };
    expect(matchesFilter(filter, custom({}))).toBe(false);
  });

  it('fires an action when any of its analytics triggers matches, ignoring other triggers', () => {
    const triggers = [
      { trigger: 'manual' },
      { trigger: 'analytics', where: { type: 'analytics.event', data: { action: 'confirm' } } },
      { trigger: 'analytics', where: { type: 'analytics.pageView', data: { _pageId: 2 } } },
    ];
    expect(firesOn(triggers, pageView({ _pageId: 2 }))).toBe(true);
    expect(firesOn(triggers, custom({ action: 'confirm', category: 'booking' }))).toBe(true);
    expect(firesOn(triggers, pageView({ _pageId: 3 }))).toBe(false);
    expect(firesOn([{ trigger: 'manual' }], pageView({ _pageId: 2 }))).toBe(false);
  });

  it('reads the filters of analytics triggers only', () => {
    const triggers = [
      { trigger: 'log', where: { type: 'dataSource.entry.create' } },
      { trigger: 'analytics', where: { type: 'analytics.pageView', data: { _pageId: 2 } } },
      { trigger: 'analytics', where: { type: 'analytics.event', data: 'not an object' } },
      { trigger: 'analytics' },
    ];
    expect(analyticsFilters(triggers)).toEqual([
      { type: 'analytics.pageView', data: { _pageId: 2 } },
      { type: 'analytics.event' },
    ]);
    expect(hasAnalyticsTrigger(triggers)).toBe(true);
    expect(hasAnalyticsTrigger([{ trigger: 'manual' }])).toBe(false);
  });
});
