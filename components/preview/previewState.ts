/**
 * What the preview shows, folded from the runtime's events: the event feed, the client runs
 * and whether the action list loaded. Pure, so the page's behaviour is easy to follow.
 */
import type { ConsoleLine } from '@/server/runner/sandbox/types';
import type { RuntimeEvent } from '@/server/sdk/runtime/browser/global-types';

const MAX_FEED = 50;
const MAX_RUNS = 30;

export interface FeedEntry {
  key: string;
  type: string;
  at: number;
  data: Record<string, unknown>;
  matched: string[];
}

export interface RunEntry {
  runId: string;
  name: string;
  trigger: string;
  startedAt: number;
  status: 'running' | 'completed' | 'failed';
  durationMs: number | null;
  result: unknown;
  error: { name: string; message: string } | null;
  console: ConsoleLine[];
  /** Undefined while the report is on its way; null when the server had it already. */
  logId?: number | null;
  logError?: string;
}

export interface PreviewState {
  status: 'loading' | 'ready' | 'failed';
  message: string | null;
  actions: { id: number; name: string; environment: string }[];
  clientTimeoutMs: number | null;
  feed: FeedEntry[];
  runs: RunEntry[];
  notices: string[];
}

export const initialPreviewState: PreviewState = {
  status: 'loading',
  message: null,
  actions: [],
  clientTimeoutMs: null,
  feed: [],
  runs: [],
  notices: [],
};

function updateRun(state: PreviewState, runId: string, change: Partial<RunEntry>): PreviewState {
  return {
    ...state,
    runs: state.runs.map((run) => (run.runId === runId ? { ...run, ...change } : run)),
  };
}

export function previewReducer(state: PreviewState, event: RuntimeEvent): PreviewState {
  switch (event.type) {
    case 'actions-loaded':
      return {
        ...state,
        status: 'ready',
        message: null,
        actions: event.actions,
        clientTimeoutMs: event.clientTimeoutMs,
      };
    case 'actions-failed':
      return { ...state, status: 'failed', message: event.message };
    case 'analytics': {
      const { createdAt, type, data } = event.event;
      const entry = { key: `${createdAt}-${state.feed.length}-${type}`, type, at: createdAt, data,
        matched: event.matched };
      return { ...state, feed: [entry, ...state.feed].slice(0, MAX_FEED) };
    }
    case 'run-started': {
      const { run } = event;
      const entry: RunEntry = {
        runId: run.runId,
        name: run.name,
        trigger: run.trigger,
        startedAt: run.startedAt,
        status: 'running',
        durationMs: null,
        result: null,
        error: null,
        console: [],
      };
      return { ...state, runs: [entry, ...state.runs].slice(0, MAX_RUNS) };
    }
    case 'run-finished': {
      const { outcome } = event;
      return updateRun(state, event.run.runId, {
        status: outcome.ok ? 'completed' : 'failed',
        durationMs: outcome.durationMs,
        result: outcome.ok ? outcome.result : null,
        error: outcome.ok ? null : { name: outcome.error.name, message: outcome.error.message },
        console: outcome.console,
      });
    }
    case 'run-logged':
      return updateRun(state, event.runId, { logId: event.logId });
    case 'run-log-failed':
      return updateRun(state, event.runId, { logError: event.message });
    case 'run-dropped':
      return {
        ...state,
        notices: [`${event.name} did not run: ${event.reason}`, ...state.notices].slice(0, 5),
      };
  }
}
