/** `Fliplet.App.Analytics`: page views and custom events, handed to the runtime to match. */
import type { AnalyticsEvent } from '../../../triggers/analytics';
import {
  customEvent,
  pageViewEvent,
  readScreen,
  type AnalyticsContext,
  type Screen,
} from './analytics-events';
import { storedId } from './ids';

const SESSION_KEY = 'fliplet.analytics.sessionId';
const DEVICE_KEY = 'fliplet.analytics.deviceTrackingId';

/** The context of this page load, read once. */
export function browserAnalyticsContext(): AnalyticsContext {
  return {
    platform: 'web',
    os: typeof navigator === 'undefined' ? 'unknown' : navigator.platform || 'unknown',
    sessionId: storedId(() => sessionStorage, SESSION_KEY),
    deviceTrackingId: storedId(() => localStorage, DEVICE_KEY),
  };
}

export class Analytics {
  private screen: Screen | null = null;
  private context: AnalyticsContext | null = null;

  constructor(
    private readonly readContext: () => AnalyticsContext,
    private readonly dispatch: (event: AnalyticsEvent) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A screen was shown: `{ pageId, pageTitle }`, plus optional fields of your own. */
  pageView(screen: unknown, fields?: unknown): AnalyticsEvent {
    const shown = readScreen(screen);
    const event = pageViewEvent(this.currentContext(), shown, fields, this.now());
    this.screen = shown;
    this.dispatch(event);
    return event;
  }

  /** A custom event such as `{ category: 'booking', action: 'confirm' }`. */
  event(fields: unknown): AnalyticsEvent {
    const event = customEvent(this.currentContext(), this.screen, fields, this.now());
    this.dispatch(event);
    return event;
  }

  /** The screen of the last page view, or null before the first. */
  currentScreen(): Screen | null {
    return this.screen;
  }

  private currentContext(): AnalyticsContext {
    this.context ??= this.readContext();
    return this.context;
  }
}
