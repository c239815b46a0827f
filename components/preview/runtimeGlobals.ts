/**
 * Loads the browser runtime the way an app does (a script tag for /runtime/actions.js) and
 * reads the globals it adds, checked rather than assumed: the preview must exercise the script
 * apps get, not a copy bundled into the admin.
 */
import type { ActionsGlobal, AnalyticsGlobal } from '@/server/sdk/runtime/browser/global-types';

export interface RuntimeGlobals {
  actions: ActionsGlobal;
  analytics: AnalyticsGlobal;
}

const SCRIPT_URL = '/runtime/actions.js';

function member(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

function hasFunctions(value: unknown, names: readonly string[]): boolean {
  return names.every((name) => typeof member(value, name) === 'function');
}

function isActionsGlobal(value: unknown): value is ActionsGlobal {
  return (
    hasFunctions(value, ['configure', 'run', 'runWithResult', 'getLogs']) &&
    hasFunctions(member(value, 'runtime'), ['ready', 'subscribe', 'clientActions', 'limits'])
  );
}

function isAnalyticsGlobal(value: unknown): value is AnalyticsGlobal {
  return hasFunctions(value, ['pageView', 'event', 'currentScreen']);
}

export function readRuntimeGlobals(): RuntimeGlobals | null {
  const app = member(member(globalThis, 'Fliplet'), 'App');
  const actions = member(member(app, 'V3'), 'Actions');
  const analytics = member(app, 'Analytics');
  return isActionsGlobal(actions) && isAnalyticsGlobal(analytics) ? { actions, analytics } : null;
}

let loading: Promise<RuntimeGlobals> | undefined;

export function loadRuntime(): Promise<RuntimeGlobals> {
  const present = readRuntimeGlobals();
  if (present) return Promise.resolve(present);
  loading ??= new Promise<RuntimeGlobals>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = SCRIPT_URL;
    script.async = true;
    script.onload = () => {
      const globals = readRuntimeGlobals();
      if (globals) resolve(globals);
      else reject(new Error(`${SCRIPT_URL} loaded but did not add Fliplet.App.V3.Actions`));
    };
    script.onerror = () => reject(new Error(`${SCRIPT_URL} could not be loaded`));
    document.head.appendChild(script);
  }).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
