import { createHash } from 'node:crypto';

import { approvedLibraries, libraryAssetPath } from '../actions/libraries';
import { librarySource } from '../actions/library-source';
import { packageAssetPath, packages } from '../actions/packages';
import { browserPackageShim } from './runtime/browser-preludes';

/**
 * The files behind action `assets[].url` (see ../actions/shape.ts): an approved library is our
 * installed npm copy, a platform package is the script a browser run loads for it (the same
 * prelude the browser runtime uses). Only these names are served; a path is looked up in this
 * fixed table, never joined onto the file system, so no request can reach another file.
 */
const assetSources: ReadonlyMap<string, () => string> = new Map<string, () => string>([
  ...approvedLibraries.map(
    (library) => [libraryAssetPath(library), () => librarySource(library)] as const,
  ),
  ...packages.map((pkg) => [packageAssetPath(pkg), () => browserPackageShim(pkg)] as const),
]);

/** Every path served, as in `assets[].path` (`assets/…`). */
export function assetPaths(): string[] {
  return [...assetSources.keys()];
}

interface AssetFile {
  body: string;
  etag: string;
}

const files = new Map<string, AssetFile>();

function assetFile(path: string): AssetFile | undefined {
  let file = files.get(path);
  if (file) return file;
  const source = assetSources.get(path);
  if (!source) return undefined;
  const body = source();
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  file = { body, etag };
  files.set(path, file);
  return file;
}

const NOT_FOUND_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/**
 * The GET answer for `/assets/<segments…>`. The version in the path names the library's or
 * the package API's version, not this installation's build, so an upgrade may change a file
 * under the same path: a week's cache with an ETag, not `immutable`.
 */
export function serveAsset(request: Request, segments: readonly string[]): Response {
  const path = ['assets', ...segments].join('/');
  const file = assetFile(path);
  if (!file) {
    return Response.json(
      { status: 'NOT_FOUND', error: `No asset at /${path}` },
      { status: 404, headers: NOT_FOUND_HEADERS },
    );
  }
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=604800',
    etag: file.etag,
    'x-content-type-options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === file.etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(file.body, { headers });
}
