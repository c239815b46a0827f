/** Tailwind class sets used by several components, kept here so they look alike everywhere. */

export const primaryButton =
  'rounded bg-indigo-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 ' +
  'disabled:opacity-60';

export const secondaryButton =
  'rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 ' +
  'disabled:opacity-50';

/** Small uppercase labels above blocks of data (payload, result, console, column headings). */
export const captionText = 'text-xs font-medium uppercase tracking-wide text-slate-500';

export const codeBlock = 'max-h-72 overflow-auto rounded border p-2 font-mono text-xs';

export const dangerButton =
  'rounded bg-red-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-red-700 ' +
  'disabled:opacity-60';

/** Text-like buttons inside lists and panels. */
export const linkButton =
  'rounded text-sm text-indigo-700 hover:underline focus-visible:outline-none ' +
  'focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-50';
