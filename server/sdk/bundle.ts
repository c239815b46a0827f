import path from 'node:path';

import { buildScript, cachedBundle, loadEsbuild, withEtag } from './serve-bundle';

/**
 * The browser SDK as one script, built from `browser-entry.ts` on first request and kept in
 * memory for the life of the process.
 *
 * Why esbuild at request time: the SDK is TypeScript shared with Node callers, and the browser
 * copy must be the same code, not a hand-kept JavaScript twin that drifts. Building it takes a
 * few milliseconds once per process, needs no build step or generated file to keep in sync, and
 * esbuild drops the `import type` lines, so no server code reaches the browser. It is imported
 * lazily: a web process that never serves the SDK never loads it.
 */
export const browserBundle = cachedBundle(async () => {
  const build = await loadEsbuild();
  // The source tree, not this module's URL: inside the Next build this file lives elsewhere.
  const entry = path.join(process.cwd(), 'server', 'sdk', 'browser-entry.ts');
  const script = await buildScript(build, entry, 'the browser SDK');
  return withEtag('/* App Actions JS SDK: window.Fliplet.App.V3.Actions */', script);
});
