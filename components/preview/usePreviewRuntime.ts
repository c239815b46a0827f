'use client';

import { useEffect, useReducer, useState } from 'react';

import { initialPreviewState, previewReducer, type PreviewState } from './previewState';
import { loadRuntime, type RuntimeGlobals } from './runtimeGlobals';

export interface PreviewSettings {
  appId: number;
  /** A short-lived app token minted for this page by the server. */
  token: string;
  /** Lowers the client time limit for this page (demos, tests). */
  clientTimeoutMs: number | undefined;
  /** The screen the demo app opens on: its page view is the first event. */
  firstScreen: { pageId: number; pageTitle: string };
}

export interface PreviewRuntime {
  globals: RuntimeGlobals | null;
  state: PreviewState;
  loadError: string | null;
}

/**
 * Loads the runtime, points it at the app's master version (the preview plays the part of the
 * viewer) and follows its events. The first screen's page view is sent once configured.
 */
export function usePreviewRuntime(settings: PreviewSettings): PreviewRuntime {
  const { appId, token, clientTimeoutMs, firstScreen } = settings;
  const [globals, setGlobals] = useState<RuntimeGlobals | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [state, dispatch] = useReducer(previewReducer, initialPreviewState);
  const { pageId, pageTitle } = firstScreen;

  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    loadRuntime().then(
      (loaded) => {
        if (cancelled) return;
        unsubscribe = loaded.actions.runtime.subscribe(dispatch);
        loaded.actions.configure({
          appId,
          token,
          version: 'master',
          clientTimeoutMs,
          baseUrl: window.location.origin,
        });
        loaded.analytics.pageView({ pageId, pageTitle });
        setGlobals(loaded);
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [appId, token, clientTimeoutMs, pageId, pageTitle]);

  return { globals, state, loadError };
}
