import { findApprovedLibrary } from '../../actions/libraries';
import { librarySource } from '../../actions/library-source';
import { findPackageByName, type PlatformPackage } from '../../actions/packages';
import type { Prelude } from './browser/protocol';

/**
 * The scripts a browser run evaluates before the action's code, in dependency order: the
 * server's preludes call the runner's host bridge, which a browser does not have, so the
 * browser gets its own. Approved libraries are the same installed files the server loads.
 */
export const BASE_PRELUDE: Prelude = {
  name: 'fliplet.js',
  // Kept when present: on the debug page `Fliplet.App` already lives on the same global.
  source: 'globalThis.Fliplet = globalThis.Fliplet || {};',
};

/**
 * No platform package has a browser implementation in this version (nor a REST route for app
 * users it could call), so each listed package gets a namespace whose every use throws why.
 */
export function browserPackageShim(pkg: PlatformPackage): string {
  const message = JSON.stringify(
    `${pkg.name} is not available in actions that run in the browser yet: ` +
      `Fliplet.${pkg.namespace} works only in runs on the server (environment server or any)`,
  );
  return `Fliplet.${pkg.namespace} = new Proxy({}, { get(_, key) {
    if (key === 'then' || typeof key === 'symbol') return undefined;
    throw new Error(${message});
  } });`;
}

export function browserPreludesFor(dependencies: readonly string[]): Prelude[] {
  const preludes = [BASE_PRELUDE];
  for (const dependency of dependencies) {
    const library = findApprovedLibrary(dependency);
    if (library) {
      preludes.push({ name: `libraries/${library.name}.js`, source: librarySource(library) });
      continue;
    }
    const pkg = findPackageByName(dependency);
    if (pkg) preludes.push({ name: `packages/${pkg.name}.js`, source: browserPackageShim(pkg) });
  }
  return preludes;
}
