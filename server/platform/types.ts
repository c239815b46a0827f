import type { Db } from '../db/client';
import type { Logger } from '../log';

/** Who a platform call acts for: always one app, so no package can reach another app's data. */
export interface PlatformScope {
  appId: number;
  organizationId: number;
  db: Db;
  logger: Logger;
  /** The run making the calls, for app log events and audit. */
  runId: string;
  /** How deep in a chain of log-triggered runs this run is (0 for a direct run). */
  chainDepth: number;
}

/** One host-side method of a package; arguments and result are JSON values. */
export type HostMethod = (args: unknown[], signal: AbortSignal) => Promise<unknown>;

/**
 * A platform package (`fliplet-datasources`, …) as the runner sees it: the script that defines
 * `Fliplet.<Namespace>` inside the isolate, and the host methods that script calls.
 *
 * The shim runs before the action's code with a global `__hostCall(namespace, method, args)`
 * that returns a promise of the host method's JSON result (rejecting with an Error carrying the
 * host's name and message). The global is deleted after all shims ran, so a shim must capture
 * it, e.g. `(function (hostCall) { Fliplet.DataSources = { … } })(__hostCall);`. A global
 * `Fliplet` object exists before any shim runs.
 */
export interface PlatformPackage {
  name: string;
  namespace: string;
  shim: string;
  host: (scope: PlatformScope) => Record<string, HostMethod>;
}
