import { createHash } from 'node:crypto';

import { logger } from '@/server/log';

/**
 * What the browser SDK (../bundle.ts) and the browser runtime (./runtime/bundle.ts) share:
 * building a script with esbuild at request time, keeping it for the life of the process, and
 * serving it with an ETag. Each script's entry points and banner stay with its own module.
 */
export interface BrowserBundle {
  code: string;
  etag: string;
}

/** Builds once per process; a failed build is not kept, so the next request tries again. */
export function cachedBundle(build: () => Promise<BrowserBundle>): () => Promise<BrowserBundle> {
  let cached: Promise<BrowserBundle> | undefined;
  return () => {
    cached ??= build().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

export type Build = typeof import('esbuild').build;

export async function loadEsbuild(): Promise<Build> {
  // Loaded by Node at run time, not bundled: esbuild's JS API drives a native binary and
  // breaks the Next build if the bundler tries to follow it.
  const { build } = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ 'esbuild');
  return build;
}

/**
 * One minified browser script from `entry` (an absolute path). `what` names it in the error
 * when esbuild returns no output.
 */
export async function buildScript(
  build: Build,
  entry: string,
  what: string,
  extra: Parameters<Build>[0] = {},
): Promise<string> {
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
    ...extra,
  });
  const [file] = result.outputFiles ?? [];
  if (!file) throw new Error(`esbuild produced no output for ${what}`);
  return file.text;
}

/** The script with its banner line, and an ETag from its content. */
export function withEtag(banner: string, script: string): BrowserBundle {
  const code = `${banner}\n${script}`;
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`;
  return { code, etag };
}

/**
 * The GET answer for a bundle route: the script, or 304 when the client's copy is current, or
 * a 500 script comment (with the cause in the server log) when it cannot be built. `name` is
 * what the log and the comment call it ("SDK", "runtime").
 */
export async function serveBundle(
  request: Request,
  bundle: () => Promise<BrowserBundle>,
  name: string,
): Promise<Response> {
  try {
    const { code, etag } = await bundle();
    const headers = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag,
    };
    if (request.headers.get('if-none-match') === etag) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(code, { headers });
  } catch (error) {
    logger.error({ err: error }, `could not build the browser ${name}`);
    return new Response(`/* The ${name} could not be built; see the server log */`, {
      status: 500,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
    });
  }
}
