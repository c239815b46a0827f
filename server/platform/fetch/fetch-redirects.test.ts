import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isAppError } from '../../errors';
import { parseAllowList } from './config';
import type { FetchInit } from './request-schema';
import { guardedFetch, type FetchResult } from './service';
import { systemResolver, type Resolver } from './target';
import { guardSockets, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let other: TestServer;
let guard: ReturnType<typeof guardSockets>;

beforeAll(async () => {
  guard = guardSockets();
  server = await startTestServer();
  other = await startTestServer();
});

beforeEach(() => {
  guard.clear();
});

afterAll(async () => {
  await server?.close();
  await other?.close();
  guard?.restore();
});

/** `allowed.test` is the loopback server, allowed by name; everything else is as usual. */
const resolve: Resolver = async (hostname) =>
  hostname === 'allowed.test' ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(hostname);

function fetchWith(url: string, init: FetchInit = {}, allow = '127.0.0.1'): Promise<FetchResult> {
  const config = { timeoutMs: 5000, maxBytes: 1024 * 1024, allow: parseAllowList(allow) };
  return guardedFetch(url, init, { config, signal: new AbortController().signal, resolve });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return `${error.status}: ${error.message}`;
}

const redirectTo = (target: string, status = 302) =>
  `${server.origin}/redirect?status=${status}&to=${encodeURIComponent(target)}`;

describe('[FETCH]: redirects to refused addresses', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/iam/', 'link-local (cloud metadata)'],
    ['http://10.0.0.1/admin', 'private'],
    ['http://[::1]:1/', 'loopback'],
    ['http://metadata.google.internal/', 'metadata service'],
  ])('a redirect to %s is refused after the first hop only', async (target, reason) => {
    for (const status of [301, 302, 307, 308]) {
      guard.clear();
      const message = await failure(fetchWith(redirectTo(target, status)));
      expect(message).toMatch(/^FORBIDDEN: .*not reachable from actions/);
      expect(message).toContain(reason);
      expect(guard.connects).toEqual([`127.0.0.1:${server.port}`]);
    }
  });

  it('refuses a hop to localhost or to the loopback IP when only a name is allowed', async () => {
    const start = `http://allowed.test:${server.port}/redirect?to=`;
    for (const target of [`http://localhost:${server.port}/json`, `${server.origin}/json`]) {
      guard.clear();
      const url = `${start}${encodeURIComponent(target)}`;
      expect(await failure(fetchWith(url, {}, 'allowed.test'))).toContain('loopback');
      expect(guard.connects).toEqual([`127.0.0.1:${server.port}`]);
    }
  });
});

describe('[FETCH]: following redirects', () => {
  it('follows up to 5, relative ones included, and reports the final URL', async () => {
    const response = await fetchWith(`${server.origin}/chain/5`);
    expect(response).toMatchObject({ status: 200, body: 'end', redirected: true });
    expect(response.url).toBe(`${server.origin}/chain/0`);
    expect(guard.connects).toHaveLength(6);
    expect(await failure(fetchWith(`${server.origin}/chain/6`))).toBe(
      `BAD_REQUEST: fetch: more than 5 redirects, starting at ${server.origin}/chain/6`,
    );
  });

  it('turns a POST into a GET without body on 303, keeps it on 307', async () => {
    const post = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };
    const seeOther = await fetchWith(redirectTo('/echo', 303), post);
    expect(JSON.parse(seeOther.body)).toMatchObject({ method: 'GET', body: '' });
    expect(JSON.parse(seeOther.body)).not.toHaveProperty('headers.content-type');
    const temporary = await fetchWith(redirectTo('/echo', 307), post);
    expect(JSON.parse(temporary.body)).toMatchObject({ method: 'POST', body: 'payload' });
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const init = { headers: { authorization: 'Bearer secret', 'x-kept': 'yes' } };
    const sameOrigin = await fetchWith(redirectTo('/echo'), init);
    expect(JSON.parse(sameOrigin.body)).toHaveProperty('headers.authorization', 'Bearer secret');
    const crossOrigin = await fetchWith(redirectTo(`${other.origin}/echo`), init);
    const echoed: unknown = JSON.parse(crossOrigin.body);
    expect(echoed).not.toHaveProperty('headers.authorization');
    expect(echoed).toHaveProperty('headers.x-kept', 'yes');
  });

  it('returns the redirect itself with redirect "manual", refuses with "error"', async () => {
    const manual = await fetchWith(redirectTo('http://169.254.169.254/'), { redirect: 'manual' });
    expect(manual).toMatchObject({ status: 302, redirected: false });
    expect(manual.headers.location).toBe('http://169.254.169.254/');
    expect(guard.connects).toEqual([`127.0.0.1:${server.port}`]);
    expect(await failure(fetchWith(redirectTo('/json'), { redirect: 'error' }))).toContain(
      'redirects (redirect: "error")',
    );
  });
});
