import { findApprovedLibrary } from '../actions/libraries';
import { librarySource } from '../actions/library-source';
import { findPackageByName } from '../actions/packages';
import { AppError } from '../errors';
import type { HostBridge } from '../runner/sandbox/types';
import { communicatePackage } from './communicate/package';
import { csvPackage } from './csv/package';
import { dataSourcesPackage } from './datasources/package';
import { encryptionPackage } from './encryption/package';
import { fetchPackage } from './fetch/package';
import { mediaPackage } from './media/package';
import { notificationsPackage } from './notifications/package';
import type { PlatformPackage, PlatformScope } from './types';

/** Packages whose services run on this server, by package name. */
const serverPackages: ReadonlyMap<string, PlatformPackage> = new Map(
  [
    dataSourcesPackage,
    communicatePackage,
    notificationsPackage,
    mediaPackage,
    csvPackage,
    encryptionPackage,
  ].map((pkg) => [pkg.name, pkg]),
);

const BASE_PRELUDE = { name: 'fliplet.js', source: 'globalThis.Fliplet = {};' };
/** The guarded `fetch` every action has, whatever it lists in `dependencies`. */
const FETCH_PRELUDE = { name: 'fetch.js', source: fetchPackage.shim };

/**
 * A package that is known but has no server implementation gets a namespace whose every use
 * fails with the reason, instead of a confusing "undefined is not a function".
 */
function unavailableShim(name: string, namespace: string, reason: string): string {
  const message = JSON.stringify(`${name} is not available in server actions: ${reason}`);
  return `Fliplet.${namespace} = new Proxy({}, { get(_, key) {
    if (key === 'then') return undefined;
    throw new Error(${message});
  } });`;
}

/** The scripts that set up an action's dependencies inside the isolate, in dependency order. */
export function preludesFor(dependencies: readonly string[]): { name: string; source: string }[] {
  const preludes = [BASE_PRELUDE, FETCH_PRELUDE];
  for (const dependency of dependencies) {
    const library = findApprovedLibrary(dependency);
    if (library) {
      preludes.push({ name: dependency, source: librarySource(library) });
      continue;
    }
    const pkg = findPackageByName(dependency);
    if (!pkg) continue;
    const implemented = serverPackages.get(pkg.name);
    const source = implemented
      ? implemented.shim
      : unavailableShim(
          pkg.name,
          pkg.namespace,
          pkg.serverSupported ? 'this server does not provide it yet' : pkg.serverUnsupportedReason,
        );
    preludes.push({ name: `${pkg.name}.js`, source });
  }
  return preludes;
}

/**
 * The host side of one run: only the packages the action lists, every call scoped to the run's
 * app. Anything else is refused, whatever the code inside the isolate tries.
 */
export function createBridge(scope: PlatformScope, dependencies: readonly string[]): HostBridge {
  const methodsByNamespace = new Map(
    dependencies.flatMap((dependency) => {
      const pkg = serverPackages.get(dependency);
      return pkg ? [[pkg.namespace, pkg.host(scope)] as const] : [];
    }),
  );
  methodsByNamespace.set(fetchPackage.namespace, fetchPackage.host(scope));
  return async (call, signal) => {
    const methods = methodsByNamespace.get(call.namespace);
    const method = methods && Object.hasOwn(methods, call.method) ? methods[call.method] : undefined;
    if (!method) {
      throw new AppError('BAD_REQUEST', `Fliplet.${call.namespace}.${call.method} is not available`);
    }
    return method(call.args, signal);
  };
}
