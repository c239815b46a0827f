/** The runtime's settings: from the script tag's data attributes, then `configure()`. */
import type { RunVersion } from '../../../runs/job';

export interface RuntimeConfig {
  /** Where the platform answers; by default the origin the runtime script came from. */
  baseUrl: string;
  appId: number;
  /** An app token, sent in the `Auth-token` header; empty means calls go without one. */
  token: string;
  /** `production` in live apps (the default), `master` in the preview. */
  version: RunVersion;
  /** Lowers the platform's time limit of a browser run for this page; never raises it. */
  clientTimeoutMs?: number;
  /** Load the app's client actions as soon as configured (true unless set to false). */
  autoLoad: boolean;
}

export type RuntimeConfigInput = Partial<RuntimeConfig>;

function positiveInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new TypeError(`${name} must be a positive whole number`);
  }
  return number;
}

/** Read while the script runs: `document.currentScript` is null once loading is over. */
export function scriptConfig(): RuntimeConfigInput {
  const script = typeof document === 'undefined' ? null : document.currentScript;
  const origin = typeof location === 'undefined' ? '' : location.origin;
  if (!(script instanceof HTMLScriptElement)) return { baseUrl: origin };
  const data = script.dataset;
  const { version } = data;
  const known = version === 'master' || version === 'production' ? version : undefined;
  return {
    baseUrl: data.baseUrl ?? (script.src ? new URL(script.src, location.href).origin : origin),
    appId: data.appId ? positiveInt(data.appId, 'data-app-id') : undefined,
    token: data.token,
    version: known,
    clientTimeoutMs: positiveInt(data.clientTimeoutMs, 'data-client-timeout-ms'),
    autoLoad: data.autoload === undefined ? undefined : data.autoload !== 'false',
  };
}

/** Later values win; `undefined` leaves a setting as it was. */
export function mergeInput(
  current: RuntimeConfigInput,
  update: RuntimeConfigInput,
): RuntimeConfigInput {
  const given = Object.entries(update).filter(([, value]) => value !== undefined);
  return { ...current, ...Object.fromEntries(given) };
}

/** The settings to work with, or null while there is no app id to work for. */
export function resolveConfig(input: RuntimeConfigInput): RuntimeConfig | null {
  const appId = positiveInt(input.appId, 'appId');
  if (appId === undefined) return null;
  const version = input.version ?? 'production';
  if (version !== 'master' && version !== 'production') {
    throw new TypeError('version must be "master" or "production"');
  }
  return {
    baseUrl: (input.baseUrl ?? '').replace(/\/+$/, ''),
    appId,
    token: input.token ?? '',
    version,
    clientTimeoutMs: positiveInt(input.clientTimeoutMs, 'clientTimeoutMs'),
    autoLoad: input.autoLoad ?? true,
  };
}
