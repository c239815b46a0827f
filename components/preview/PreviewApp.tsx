'use client';

import { HOME_SCREEN } from '@/server/sdk/runtime/preview-screens';

import { formatDuration } from '../formatters';
import { ClientRunsPanel } from './ClientRunsPanel';
import { DemoApp } from './DemoApp';
import { EventFeed } from './EventFeed';
import { usePreviewRuntime } from './usePreviewRuntime';

export interface PreviewAppProps {
  appId: number;
  token: string;
  /** When the page's token stops working (ISO 8601). */
  expiresAt: string;
  clientTimeoutMs: number | undefined;
}

function RuntimeStatus(props: {
  status: 'loading' | 'ready' | 'failed';
  message: string | null;
  loadError: string | null;
  count: number;
  limit: number | null;
}) {
  if (props.loadError) {
    return <p role="alert" className="text-sm text-red-700">{props.loadError}</p>;
  }
  if (props.status === 'failed') {
    return (
      <p role="alert" className="text-sm text-red-700">
        The client actions could not be loaded: {props.message}
      </p>
    );
  }
  if (props.status === 'loading') {
    return <p className="text-sm text-slate-500">Loading the runtime…</p>;
  }
  return (
    <p role="status" className="text-sm text-slate-600">
      Runtime ready: {props.count} client action{props.count === 1 ? '' : 's'} loaded (master
      version); each run stops after {formatDuration(props.limit)}.
    </p>
  );
}

/**
 * The app preview: a demo app running the real browser runtime (/runtime/actions.js) on the
 * master version, next to the events it sends and the client runs they start.
 */
export function PreviewApp({ appId, token, expiresAt, clientTimeoutMs }: PreviewAppProps) {
  const { globals, state, loadError } = usePreviewRuntime({
    appId,
    token,
    clientTimeoutMs,
    firstScreen: { pageId: HOME_SCREEN.id, pageTitle: HOME_SCREEN.title },
  });
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">App preview</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Actions with an analytics trigger run here, in this browser, when the demo app sends a
          matching event; each run is logged with <code>runOn: &quot;client&quot;</code>. The
          page uses a token that works for this app until{' '}
          {new Date(expiresAt).toLocaleTimeString(undefined, { hour12: false })}.
        </p>
        <RuntimeStatus
          status={state.status}
          message={state.message}
          loadError={loadError}
          count={state.actions.length}
          limit={state.clientTimeoutMs}
        />
        {state.notices.map((notice) => (
          <p key={notice} role="alert" className="text-sm text-amber-700">{notice}</p>
        ))}
      </header>
      <div className="grid gap-6 lg:grid-cols-[20rem_minmax(0,1fr)_minmax(0,1.3fr)]">
        <DemoApp globals={globals} />
        <EventFeed feed={state.feed} />
        <ClientRunsPanel runs={state.runs} appId={appId} />
      </div>
    </div>
  );
}
