import { z } from 'zod';

import { hostMethod } from '../communicate/host-method';
import type { HostMethod, PlatformPackage } from '../types';
import { fetchConfigFromEnv } from './config';
import { createLimiter } from './limiter';
import { fetchInitSchema, fetchUrlSchema } from './request-schema';
import { guardedFetch } from './service';

/**
 * A global `fetch(url, { method, headers, body, redirect })` in every action, no dependency
 * needed. The request runs on the host (see service.ts); the answer comes back whole, so the
 * Response here is small: `ok`, `status`, `statusText`, `url`, `redirected`, `headers`
 * (a plain object of lower-case names, plus `get` and `has`), `text()` and `json()`.
 * Bodies are strings: the isolate has no Blob, FormData or streams.
 */
const shim = `(function (hostCall) {
  'use strict';
  const { keys, freeze, defineProperty, prototype: objectPrototype } = Object;
  const hasOwn = (object, key) => objectPrototype.hasOwnProperty.call(object, key);
  const parseJson = JSON.parse;

  function headersOf(plain) {
    const headers = {};
    for (const name of keys(plain)) headers[name] = plain[name];
    const hidden = (value) => ({ value, enumerable: false });
    defineProperty(headers, 'get', hidden((name) => {
      const key = String(name).toLowerCase();
      return hasOwn(plain, key) ? plain[key] : null;
    }));
    defineProperty(headers, 'has', hidden((name) => hasOwn(plain, String(name).toLowerCase())));
    return freeze(headers);
  }

  function responseOf(raw) {
    const body = raw.body;
    return freeze({
      ok: raw.status >= 200 && raw.status < 300,
      status: raw.status,
      statusText: raw.statusText,
      url: raw.url,
      redirected: raw.redirected,
      headers: headersOf(raw.headers),
      text: () => Promise.resolve(body),
      json: () => new Promise((resolve) => resolve(parseJson(body))),
    });
  }

  function headerPairs(headers) {
    if (headers === undefined || headers === null) return [];
    if (typeof headers.forEach === 'function' && !Array.isArray(headers)) {
      const pairs = [];
      headers.forEach((value, name) => pairs.push([String(name), String(value)]));
      return pairs;
    }
    if (Array.isArray(headers)) return headers.map((pair) => [String(pair[0]), String(pair[1])]);
    return keys(headers).map((name) => [name, String(headers[name])]);
  }

  function fetch(input, init) {
    const options = init === undefined || init === null ? {} : init;
    const url = typeof input === 'object' && input !== null && typeof input.url === 'string'
      ? input.url
      : String(input);
    const request = { headers: headerPairs(options.headers) };
    if (options.method !== undefined) request.method = String(options.method);
    if (options.redirect !== undefined) request.redirect = String(options.redirect);
    if (options.body !== undefined && options.body !== null) {
      if (typeof options.body !== 'string') {
        return Promise.reject(new TypeError(
          'fetch: the body must be a string (use JSON.stringify for objects)'));
      }
      request.body = options.body;
    }
    return hostCall('Fetch', 'request', [url, request]).then(responseOf);
  }

  defineProperty(globalThis, 'fetch', { value: fetch, writable: true, configurable: true });
})(__hostCall);
`;

/**
 * Fetches one run has in flight; more wait their turn. Each holds up to a whole body in host
 * memory, so without this a run could hold 64 (its host-call limit) at once.
 */
export const MAX_CONCURRENT_FETCHES = 4;

/** Not a dependency an action lists: the registry gives every run this prelude and host. */
export const fetchPackage: PlatformPackage = {
  name: 'fetch',
  namespace: 'Fetch',
  shim,
  host: () => fetchHostMethods(),
};

/** The host side of one run's `fetch`; called once per run, so each run has its own limit. */
export function fetchHostMethods(): Record<string, HostMethod> {
  const limit = createLimiter(MAX_CONCURRENT_FETCHES);
  return {
    request: hostMethod(
      'fetch',
      ['url', 'options'],
      z.tuple([fetchUrlSchema, fetchInitSchema]),
      ([url, init], signal) =>
        limit(signal, () => guardedFetch(url, init, { config: fetchConfigFromEnv(), signal })),
    ),
  };
}
