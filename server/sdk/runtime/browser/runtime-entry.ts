/**
 * The runtime script served at /runtime/actions.js (built by ../bundle.ts). Configure it with
 * the script tag (`data-app-id`, `data-token`, `data-version`, `data-base-url`,
 * `data-client-timeout-ms`, `data-autoload`) or with `Fliplet.App.V3.Actions.configure(…)`.
 * It keeps any other `Fliplet.*` objects the page already has.
 */
import { ActionsApiError } from '../../actions-client';
import { Analytics, browserAnalyticsContext } from './analytics';
import { scriptConfig } from './config';
import type { ActionsGlobal, AnalyticsGlobal } from './global-types';
import { isRecord } from './protocol';
import { ActionsRuntime } from './runtime';
import { browserWorkerFactory } from './worker-run';

/** The worker script (sandbox runtime + worker-host.ts), put in by the bundler. */
declare const __ACTIONS_WORKER_SOURCE__: string;

let workerUrl: string | undefined;

/** One blob URL for every run: a worker from a blob works whatever origin served this file. */
function workerScriptUrl(): string {
  workerUrl ??= URL.createObjectURL(
    new Blob([__ACTIONS_WORKER_SOURCE__], { type: 'text/javascript' }),
  );
  return workerUrl;
}

const runtime = new ActionsRuntime(browserWorkerFactory(workerScriptUrl), scriptConfig());
const analytics = new Analytics(browserAnalyticsContext, (event) => runtime.track(event));

const actions: ActionsGlobal = {
  configure: (config) => runtime.configure(config),
  ActionsApiError,
  get: async (options) => runtime.rest().get(options),
  getById: async (id) => runtime.rest().getById(id),
  create: async (data) => runtime.rest().create(data),
  update: async (id, data) => runtime.rest().update(id, data),
  remove: async (id) => runtime.rest().remove(id),
  publish: async (id) => runtime.rest().publish(id),
  unpublish: async (id) => runtime.rest().unpublish(id),
  getLogs: async (options) => runtime.rest().getLogs(options),
  run: (nameOrId, payload) => runtime.run(nameOrId, payload),
  // The value is whatever execute() returned; its type is the caller's promise to keep.
  runWithResult: async <T>(nameOrId: string | number, payload?: Record<string, unknown>) =>
    (await runtime.runWithResult(nameOrId, payload)) as T,
  runtime: {
    ready: () => runtime.ready(),
    reload: () => runtime.reload(),
    subscribe: (listener) => runtime.events.subscribe(listener),
    clientActions: () => runtime.clientActions(),
    limits: () => runtime.limits(),
  },
  debug: { define: (meta, factory) => runtime.defineDebug(meta, factory) },
};

const analyticsGlobal: AnalyticsGlobal = {
  pageView: (screen, fields) => analytics.pageView(screen, fields),
  event: (fields) => analytics.event(fields),
  currentScreen: () => analytics.currentScreen(),
};

/** The object at `parent[key]`, created when missing; other members are left alone. */
function child(parent: object, key: string): object {
  const existing: unknown = Reflect.get(parent, key);
  if (isRecord(existing)) return existing;
  const created = {};
  Reflect.set(parent, key, created);
  return created;
}

const app = child(child(globalThis, 'Fliplet'), 'App');
Reflect.set(child(app, 'V3'), 'Actions', actions);
Reflect.set(app, 'Analytics', analyticsGlobal);
