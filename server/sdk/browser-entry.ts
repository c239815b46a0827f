/**
 * The browser build of the SDK, served at /sdk/actions.js. It puts the client's methods on
 * `window.Fliplet.App.V3.Actions`, configured either by the script tag
 * (`<script src=".../sdk/actions.js" data-app-id="1" data-token="…">`) or by calling
 * `Fliplet.App.V3.Actions.configure({ appId, token })` before the first call.
 */
import {
  ActionsApiError,
  createActionsClient,
  type ActionsClient,
  type ActionsClientOptions,
  type RunVersion,
} from './actions-client';

export type BrowserConfig = Omit<ActionsClientOptions, 'baseUrl'> & { baseUrl?: string };

type ActionsGlobal = ActionsClient & {
  configure(config: BrowserConfig): void;
  ActionsApiError: typeof ActionsApiError;
};

type Namespace = Record<string, unknown>;

/** Read while the script runs: `document.currentScript` is null once loading is over. */
function scriptConfig(): Partial<BrowserConfig> & { baseUrl: string } {
  const script = typeof document === 'undefined' ? null : document.currentScript;
  if (!(script instanceof HTMLScriptElement)) return { baseUrl: location.origin };
  const { appId, token, baseUrl, version } = script.dataset;
  // By default the API is where the SDK came from, so a page on another origin still reaches it.
  const origin = script.src ? new URL(script.src, location.href).origin : location.origin;
  return {
    baseUrl: baseUrl ?? origin,
    appId: appId ? Number(appId) : undefined,
    token,
    version: version === 'master' || version === 'production' ? version : undefined,
  };
}

const fromScript = scriptConfig();
let client: ActionsClient | null =
  fromScript.appId !== undefined && fromScript.token
    ? createActionsClient({ ...fromScript, appId: fromScript.appId, token: fromScript.token })
    : null;

function configured(): ActionsClient {
  if (!client) {
    throw new Error(
      'Fliplet.App.V3.Actions is not configured: call configure({ appId, token }) or give the ' +
        'script tag data-app-id and data-token attributes',
    );
  }
  return client;
}

const actions: ActionsGlobal = {
  configure(config) {
    const version: RunVersion | undefined = config.version ?? fromScript.version;
    const baseUrl = config.baseUrl ?? fromScript.baseUrl;
    client = createActionsClient({ ...config, baseUrl, version });
  },
  ActionsApiError,
  // Each method looks the client up when called, so configure() may come after this script.
  get: async (options) => configured().get(options),
  getById: async (id) => configured().getById(id),
  create: async (data) => configured().create(data),
  update: async (id, data) => configured().update(id, data),
  remove: async (id) => configured().remove(id),
  run: async (nameOrId, payload) => configured().run(nameOrId, payload),
  runWithResult: async <T>(nameOrId: string | number, payload?: Record<string, unknown>) =>
    configured().runWithResult<T>(nameOrId, payload),
  publish: async (id) => configured().publish(id),
  unpublish: async (id) => configured().unpublish(id),
  getLogs: async (options) => configured().getLogs(options),
};

/** Adds the namespace without replacing other `Fliplet.*` objects the page already has. */
function child(parent: Namespace, key: string): Namespace {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null) return existing as Namespace;
  const created: Namespace = {};
  parent[key] = created;
  return created;
}

const host = globalThis as typeof globalThis & Namespace;
child(child(child(host, 'Fliplet'), 'App'), 'V3').Actions = actions;
