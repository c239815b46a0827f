/**
 * The globals the runtime script adds to a page: `Fliplet.App.V3.Actions` (the SDK's methods,
 * with `run`/`runWithResult` running `client` actions here) and `Fliplet.App.Analytics`.
 * Pages written in TypeScript (the admin's app preview) read them through these types.
 */
import type { ActionsApiError, ActionsClient } from '../../actions-client';
import type { AnalyticsEvent } from '../../../triggers/analytics';
import type { Screen } from './analytics-events';
import type { RuntimeConfigInput } from './config';
import type { RuntimeEvent } from './events';
import type { ClientActionSummary } from './runtime';

export type { AnalyticsEvent, ClientActionSummary, RuntimeConfigInput, RuntimeEvent, Screen };

export interface RuntimeControls {
  /** Resolves once the app's client actions are loaded; rejects when they cannot be. */
  ready(): Promise<void>;
  /** Loads the client actions again (after an action changed, say). */
  reload(): Promise<void>;
  /** Calls the listener with every runtime event; returns the function that stops it. */
  subscribe(listener: (event: RuntimeEvent) => void): () => void;
  clientActions(): ClientActionSummary[];
  limits(): { clientTimeoutMs: number | null };
}

export type ActionsGlobal = ActionsClient & {
  configure(config: RuntimeConfigInput): void;
  ActionsApiError: typeof ActionsApiError;
  runtime: RuntimeControls;
  /** Used by the compiled script of the debug page. */
  debug: { define(meta: unknown, factory: unknown): void };
};

export interface AnalyticsGlobal {
  pageView(screen: { pageId: number; pageTitle?: string }, fields?: Record<string, unknown>):
    AnalyticsEvent;
  event(fields: Record<string, unknown>): AnalyticsEvent;
  currentScreen(): Screen | null;
}
