import { describe, expect, it } from 'vitest';

import { Analytics } from './analytics';
import { customEvent, pageViewEvent, readScreen, type AnalyticsContext } from './analytics-events';
import { storedId, uuid } from './ids';

const context: AnalyticsContext = {
  platform: 'web',
  os: 'Win32',
  sessionId: 'f6de95cb-e69b-4dca-a114-cc3961d379b2',
  deviceTrackingId: '3304672d-5d25-4a01-a48a-03e4286f42db',
};

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('[ANALYTICS]: event shapes', () => {
  it('builds a page view exactly as the spec shapes it', () => {
    const event = pageViewEvent(context, { pageId: 1908950, pageTitle: 'Employee Directory' },
      undefined, 1773305212383);
    expect(event).toEqual({
      createdAt: 1773305212383,
      type: 'analytics.pageView',
      data: {
        _pageTitle: 'Employee Directory',
        _platform: 'web',
        _os: 'Win32',
        _analyticsSessionId: 'f6de95cb-e69b-4dca-a114-cc3961d379b2',
        _pageId: 1908950,
        _deviceTrackingId: '3304672d-5d25-4a01-a48a-03e4286f42db',
      },
    });
    expect(Object.keys(event.data)).toEqual([
      '_pageTitle', '_platform', '_os', '_analyticsSessionId', '_pageId', '_deviceTrackingId',
    ]);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('adds the caller\'s fields but keeps the _ fields the runtime owns', () => {
    const event = customEvent(context, { pageId: 2, pageTitle: 'Bookings' },
      { category: 'booking', action: 'confirm', _pageId: 99, _os: 'fake' }, 5);
    expect(event.type).toBe('analytics.event');
    expect(event.data).toMatchObject({ category: 'booking', action: 'confirm', _pageId: 2,
      _pageTitle: 'Bookings', _os: 'Win32' });
  });

  it('leaves the screen out of custom events before the first page view', () => {
    const event = customEvent(context, null, { action: 'start' }, 5);
    expect(event.data).not.toHaveProperty('_pageId');
    expect(event.data).not.toHaveProperty('_pageTitle');
    expect(event.data).toHaveProperty('_analyticsSessionId', context.sessionId);
  });

  it('keeps fields as JSON and refuses what JSON cannot hold', () => {
    const event = customEvent(context, null, { at: new Date(0), skip: undefined }, 5);
    expect(event.data).toMatchObject({ at: '1970-01-01T00:00:00.000Z' });
    expect(event.data).not.toHaveProperty('skip');
    expect(() => customEvent(context, null, { n: 1n }, 5)).toThrow(/JSON-serialisable/);
    expect(() => customEvent(context, null, ['a'], 5)).toThrow(/object of fields/);
  });

  it('needs a numeric screen id for a page view', () => {
    expect(readScreen({ pageId: 3 })).toEqual({ pageId: 3, pageTitle: '' });
    expect(() => readScreen({ pageId: '3' })).toThrow(/numeric pageId/);
    expect(() => readScreen(undefined)).toThrow(/pageId/);
    expect(() => readScreen({ pageId: 3, pageTitle: 7 })).toThrow(/pageTitle/);
  });

  it('remembers the screen for later events and hands every event to the runtime', () => {
    const seen: unknown[] = [];
    const analytics = new Analytics(() => context, (event) => seen.push(event), () => 42);
    analytics.pageView({ pageId: 102, pageTitle: 'Bookings' });
    const event = analytics.event({ category: 'booking', action: 'confirm' });
    expect(event.data).toMatchObject({ _pageId: 102, _pageTitle: 'Bookings' });
    expect(analytics.currentScreen()).toEqual({ pageId: 102, pageTitle: 'Bookings' });
    expect(seen).toHaveLength(2);
  });
});

describe('[ANALYTICS]: ids', () => {
  it('makes version 4 UUIDs', () => {
    expect(uuid()).toMatch(UUID_V4);
  });

  it('keeps a stored id and replaces a broken one', () => {
    const values = new Map<string, string>();
    const storage: Storage = {
      get length() {
        return values.size;
      },
      clear: () => values.clear(),
      getItem: (key) => values.get(key) ?? null,
      key: (index) => [...values.keys()][index] ?? null,
      removeItem: (key) => void values.delete(key),
      setItem: (key, value) => void values.set(key, value),
    };
    const first = storedId(() => storage, 'k');
    expect(storedId(() => storage, 'k')).toBe(first);
    values.set('k', 'garbage');
    expect(storedId(() => storage, 'k')).toMatch(UUID_V4);
  });

  it('falls back to an id for the page when storage is refused', () => {
    const refuse = (): Storage => {
      throw new Error('SecurityError');
    };
    const id = storedId(refuse, 'blocked');
    expect(id).toMatch(UUID_V4);
    expect(storedId(refuse, 'blocked')).toBe(id);
  });
});
