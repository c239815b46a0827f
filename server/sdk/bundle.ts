import { createHash } from 'node:crypto';
import path from 'node:path';

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
export interface BrowserBundle {
  code: string;
  etag: string;
}

let cached: Promise<BrowserBundle> | undefined;

export function browserBundle(): Promise<BrowserBundle> {
  cached ??= buildBundle().catch((error: unknown) => {
    // A failed build is not cached: the next request tries again.
    cached = undefined;
    throw error;
  });
  return cached;
}

async function buildBundle(): Promise<BrowserBundle> {
  // Loaded by Node at run time, not bundled: esbuild's JS API drives a native binary and
  // breaks the Next build if the bundler tries to follow it.
  const { build } = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ 'esbuild');
  // The source tree, not this module's URL: inside the Next build this file lives elsewhere.
  const entry = path.join(process.cwd(), 'server', 'sdk', 'browser-entry.ts');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no output for the browser SDK');
  const code = `/* App Actions JS SDK: window.Fliplet.App.V3.Actions */\n${file.text}`;
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`;
  return { code, etag };
}
