/**
 * Platform packages an action can list in `dependencies`. Each one makes a `Fliplet.<Namespace>`
 * API available to the action's code; the lint, the save validation, the runners and the editor
 * all read this one list so they agree on names.
 */

interface PackageSpec {
  /** The name listed in `dependencies`. */
  readonly name: string;
  /** The `Fliplet.<namespace>` object the package provides. */
  readonly namespace: string;
  readonly description: string;
  /** Browser-only packages need a device (camera, microphone) the server does not have. */
  readonly serverSupported: boolean;
  readonly serverUnsupportedReason?: string;
}

export const packages = [
  {
    name: 'fliplet-datasources',
    namespace: 'DataSources',
    description: 'Read and write data source entries: connect, find, insert, update, remove',
    serverSupported: true,
  },
  {
    name: 'fliplet-media',
    namespace: 'Media',
    description: 'Browse media folders and upload or fetch files',
    serverSupported: true,
  },
  {
    name: 'fliplet-communicate',
    namespace: 'Communicate',
    description: 'Send email, SMS and push messages to people',
    serverSupported: true,
  },
  {
    name: 'fliplet-barcode',
    namespace: 'Barcode',
    description: 'Scan and generate barcodes and QR codes',
    serverSupported: false,
    serverUnsupportedReason: 'scanning needs the camera of the device running the app',
  },
  {
    name: 'fliplet-audio',
    namespace: 'Audio',
    description: 'Record and play sound',
    serverSupported: false,
    serverUnsupportedReason: 'recording and playback need the speaker and microphone of a device',
  },
  {
    name: 'fliplet-csv',
    namespace: 'CSV',
    description: 'Turn CSV text into rows and rows into CSV text',
    serverSupported: true,
  },
  {
    name: 'fliplet-encryption',
    namespace: 'Encryption',
    description: 'Encrypt and decrypt values',
    serverSupported: true,
  },
  {
    name: 'fliplet-notifications',
    namespace: 'Notifications',
    description: 'Create in-app notifications and send them as push notifications',
    serverSupported: true,
  },
] as const satisfies readonly PackageSpec[];

export type PlatformPackage = (typeof packages)[number];
export type PackageName = PlatformPackage['name'];
export type PackageNamespace = PlatformPackage['namespace'];

export function findPackageByName(name: string): PlatformPackage | undefined {
  return packages.find((entry) => entry.name === name);
}

/** Namespaces are case-sensitive, as they are at run time (`Fliplet.datasources` is undefined). */
export function findPackageByNamespace(namespace: string): PlatformPackage | undefined {
  return packages.find((entry) => entry.namespace === namespace);
}

export function isPackageName(name: string): name is PackageName {
  return findPackageByName(name) !== undefined;
}

/** Why a package cannot run on the server, or null when it can. */
export function serverRefusal(entry: PlatformPackage): string | null {
  if (entry.serverSupported) return null;
  return `${entry.name} is browser-only: ${entry.serverUnsupportedReason}`;
}

/** Where the web app serves the package's browser script; also the `assets[].path` of the action. */
export function packageAssetPath(entry: PlatformPackage): string {
  return `assets/${entry.name}/1.0/${entry.name.replace(/^fliplet-/, '')}.js`;
}
