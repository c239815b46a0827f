import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { GET } from '@/app/assets/[...path]/route';

import { approvedLibraries } from '../actions/libraries';
import { packages } from '../actions/packages';
import { resolveAssets } from '../actions/shape';
import { assetPaths } from './assets';

/** Calls the route handler as Next does for `/<assetPath>`. */
function get(assetPath: string, headers: Record<string, string> = {}): Promise<Response> {
  const segments = assetPath.split('/').slice(1);
  return GET(new Request(`http://localhost/${assetPath}`, { headers }), {
    params: Promise.resolve({ path: segments }),
  });
}

const everyDependency = [...packages.map((pkg) => pkg.name), ...approvedLibraries.map((l) => l.url)];

describe('GET /assets/…', () => {
  it('serves every asset an action can list, and nothing else', () => {
    const listed = resolveAssets(everyDependency).map((asset) => asset.path);
    expect(listed).toHaveLength(packages.length + approvedLibraries.length);
    expect([...listed].sort()).toEqual([...assetPaths()].sort());
  });

  it('answers each approved library with the installed npm file', async () => {
    for (const library of approvedLibraries) {
      const [asset] = resolveAssets([library.url]);
      expect(asset?.url.endsWith(`/${asset.path}`)).toBe(true);
      const response = await get(asset?.path ?? '');
      expect(response.status, asset?.path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=604800');
      const file = path.join('node_modules', library.packageName, library.file);
      expect(await response.text()).toBe(readFileSync(file, 'utf8'));
    }
  });

  it('answers each package with the script a browser run loads for it', async () => {
    for (const pkg of packages) {
      const [asset] = resolveAssets([pkg.name]);
      const response = await get(asset?.path ?? '');
      expect(response.status, asset?.path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const body = await response.text();
      expect(body).toMatch(new RegExp(`^Fliplet\\.${pkg.namespace} = new Proxy`));
      expect(body).toContain(`${pkg.name} is not available in actions that run in the browser`);
    }
  });

  it('answers 304 to a client holding the current copy', async () => {
    const first = await get('assets/fliplet-datasources/1.0/datasources.js');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await get('assets/fliplet-datasources/1.0/datasources.js', {
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it.each([
    'assets/fliplet-unknown/1.0/unknown.js',
    'assets/libraries/moment/2.30.1/moment.js',
    'assets/libraries/moment/../../../package.json',
    'assets/libraries/moment/2.30.1/..%2F..%2F..%2Fpackage.json',
    'assets/fliplet-datasources/1.0',
  ])('answers 404 for %s', async (assetPath) => {
    const response = await get(assetPath);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      status: 'NOT_FOUND',
      error: `No asset at /${assetPath}`,
    });
  });
});
