import { readFile } from 'node:fs/promises';
import path from 'node:path';

import {
  buildScript,
  cachedBundle,
  loadEsbuild,
  withEtag,
  type Build,
  type BrowserBundle,
} from '../serve-bundle';

/**
 * The browser runtime as one script (/runtime/actions.js), built with esbuild on first
 * request and kept for the life of the process, like the SDK (see ../bundle.ts for why at
 * request time). Two builds:
 *  1. the worker script: the server sandbox's isolate-runtime.js as it is, then
 *     browser/worker-host.ts, so browser runs encode results with the server's code;
 *  2. the page script (browser/runtime-entry.ts), with the worker script inside as a string
 *     (each run's worker starts from a blob of it) and a two-line `Buffer` for the shared
 *     sandbox modules it reuses (console caps, result checks).
 */
export const runtimeBundle = cachedBundle(buildRuntime);

function sourceDir(): string {
  // The source tree, not this module's URL: inside the Next build this file lives elsewhere.
  return path.join(process.cwd(), 'server', 'sdk', 'runtime', 'browser');
}

function buildOne(build: Build, entry: string, extra: Parameters<Build>[0] = {}) {
  return buildScript(build, path.join(sourceDir(), entry), entry, extra);
}

/** The script every client run's worker evaluates; exported for the tests. */
export async function buildWorkerSource(): Promise<string> {
  const build = await loadEsbuild();
  const sandbox = path.join(process.cwd(), 'server', 'runner', 'sandbox', 'isolate-runtime.js');
  const [runtimeSource, host] = await Promise.all([
    readFile(sandbox, 'utf8'),
    buildOne(build, 'worker-host.ts'),
  ]);
  // One file name for all of it: the sandbox strips frames of `sandbox-internal:` files from
  // the stacks users read, leaving only their own code's.
  return `${runtimeSource}\n${host}\n//# sourceURL=sandbox-internal:worker.js\n`;
}

async function buildRuntime(): Promise<BrowserBundle> {
  const build = await loadEsbuild();
  const workerSource = await buildWorkerSource();
  const page = await buildOne(build, 'runtime-entry.ts', {
    define: { __ACTIONS_WORKER_SOURCE__: JSON.stringify(workerSource) },
    inject: [path.join(sourceDir(), 'buffer-shim.ts')],
  });
  const banner = '/* App Actions browser runtime: Fliplet.App.V3.Actions, Fliplet.App.Analytics */';
  return withEtag(banner, page);
}
