import { loader } from '@monaco-editor/react';

/*
 * Monaco is loaded from our own origin: app/monaco/[...path] serves monaco-editor/min/vs from
 * node_modules, so the editor works offline and no script comes from a CDN (the loader's
 * default). Every module that renders a Monaco editor imports this first.
 */
loader.config({ paths: { vs: '/monaco' } });

/**
 * Monaco cancels its own pending requests (code actions, hovers, completions) whenever the text
 * or the cursor moves on, and some of those promises have no rejection handler, so a cancelled
 * request surfaces as an unhandled "Canceled" rejection. Cancellation is not a failure, as
 * Monaco's own error handler treats it; everything else still reaches the console.
 */
function ignoreMonacoCancellation(event: PromiseRejectionEvent): void {
  const reason: unknown = event.reason;
  if (reason instanceof Error && reason.name === 'Canceled' && reason.message === 'Canceled') {
    event.preventDefault();
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('unhandledrejection', ignoreMonacoCancellation);
}
