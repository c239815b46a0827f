import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isAppError } from '../../errors';
import { parseAllowList, type FetchConfig } from './config';
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

const never = new AbortController().signal;

function config(allow = ''): FetchConfig {
  return { timeoutMs: 5000, maxBytes: 1024 * 1024, allow: parseAllowList(allow) };
}

function fetchWith(
  url: string,
  options: { allow?: string; init?: FetchInit; resolve?: Resolver } = {},
): Promise<FetchResult> {
  const deps = { config: config(options.allow), signal: never, resolve: options.resolve };
  return guardedFetch(url, options.init ?? {}, deps);
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return `${error.status}: ${error.message}`;
}

/** A resolver with fixed answers, for names that must never reach a real DNS server. */
function fixedResolver(answers: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = answers[hostname];
    const familyOf = (address: string) => (address.includes(':') ? 6 : 4);
    if (addresses) return addresses.map((address) => ({ address, family: familyOf(address) }));
    // Only names the system resolves from the hosts file (localhost) go further.
    if (hostname === 'localhost') return systemResolver(hostname);
    throw new Error(`test resolver: unknown name ${hostname}`);
  };
  return Object.assign(resolve, { asked });
}

describe('[FETCH]: refused before any socket is opened', () => {
  it.each([
    ['http://127.0.0.1:PORT/json', '127.0.0.1 is a loopback address'],
    ['http://[::1]:PORT/json', '0:0:0:0:0:0:0:1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
    ['http://10.0.0.1/', '10.0.0.1 is a private address'],
    ['http://0x7f.1:PORT/json', '127.0.0.1 is a loopback address'],
    ['http://2130706433:PORT/json', '127.0.0.1 is a loopback address'],
    ['http://0.0.0.0:PORT/json', '0.0.0.0 is an unspecified address'],
    ['http://[::]:PORT/json', '0:0:0:0:0:0:0:0 is an unspecified address'],
    ['http://[::ffff:127.0.0.1]:PORT/json', 'loopback'],
    ['http://[::ffff:a9fe:a9fe]/', 'cloud metadata'],
    ['http://[64:ff9b::a00:1]/', 'private, as 10.0.0.1 inside IPv6'],
    ['http://[fd00:ec2::254]/', 'unique local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://100.100.100.200/', 'CGNAT'],
    ['http://192.168.0.1/', 'private'],
    ['http://172.20.0.1/', 'private'],
    ['http://224.0.0.1/', 'multicast'],
  ])('%s', async (template, reason) => {
    const url = template.replace('PORT', String(server.port));
    const message = await failure(fetchWith(url));
    expect(message).toMatch(/^FORBIDDEN: fetch: .* is not reachable from actions/);
    expect(message).toContain(reason);
    expect(message).toContain('ACTIONS_FETCH_ALLOW');
    expect(guard.connects).toEqual([]);
  });

  it('refuses metadata host names without looking them up', async () => {
    const resolve = fixedResolver({});
    for (const url of ['http://metadata.google.internal/computeMetadata/v1/', 'http://metadata/']) {
      expect(await failure(fetchWith(url, { resolve }))).toContain('it is a metadata service');
    }
    expect(resolve.asked).toEqual([]);
    expect(guard.connects).toEqual([]);
  });

  it('refuses a name that resolves to loopback (localhost, from the hosts file)', async () => {
    const message = await failure(fetchWith(`http://localhost:${server.port}/json`));
    expect(message).toContain('its name points only at loopback addresses');
    // The addresses are not echoed back: they would reveal internal DNS to actions.
    expect(message).not.toContain('127.0.0.1');
    expect(guard.connects).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('refuses names that resolve to private addresses, mixed answers included', async () => {
    const resolve = fixedResolver({
      'rebind.test': ['10.0.0.1'],
      'mixed.test': ['192.168.1.10', '169.254.169.254', 'fd00::1'],
    });
    expect(await failure(fetchWith('http://rebind.test/', { resolve }))).toContain(
      'points only at private addresses',
    );
    expect(await failure(fetchWith('http://mixed.test/', { resolve }))).toContain(
      'private, link-local (cloud metadata), private (unique local)',
    );
    expect(guard.connects).toEqual([]);
  });

  it('refuses other schemes, credentials in URLs and header tricks before connecting', async () => {
    const allow = '127.0.0.1';
    const origin = server.origin;
    const bad: [string, FetchInit, string][] = [
      ['file:///etc/passwd', {}, 'only http and https'],
      ['ftp://127.0.0.1/', {}, 'only http and https'],
      ['not a url', {}, 'is not an absolute URL'],
      [`http://user:pw@127.0.0.1:${server.port}/`, {}, 'cannot include credentials'],
      [`${origin}/echo`, { body: 'x' }, 'GET or HEAD request cannot have a body'],
      [`${origin}/echo`, { headers: { 'x-a': 'b\r\nx-b: c' } }, 'line breaks'],
      [`${origin}/echo`, { headers: { Host: 'metadata' } }, 'set by the platform'],
      [`${origin}/echo`, { headers: [['bad name', 'x']] }, 'not a valid header name'],
      [`${origin}/echo`, { method: 'CONNECT' }, 'options: method: is not allowed'],
      [`${origin}/echo`, { redirect: 'sometimes' as 'follow' }, 'options: redirect'],
    ];
    for (const [url, init, reason] of bad) {
      expect(await failure(fetchWith(url, { allow, init }))).toMatch(
        new RegExp(`^BAD_REQUEST: fetch: .*${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
    }
    expect(guard.connects).toEqual([]);
  });
});

describe('[FETCH]: an allowed loopback server', () => {
  it('answers with status, headers and body', async () => {
    const response = await fetchWith(`${server.origin}/json`, { allow: '127.0.0.1' });
    expect(response).toMatchObject({
      url: `${server.origin}/json`,
      status: 200,
      statusText: 'OK',
      redirected: false,
      body: '{"hello":"world"}',
    });
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': '1' });
    expect(guard.connects).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('sends the method, headers and body it was given', async () => {
    const init: FetchInit = {
      method: 'post',
      headers: [
        ['X-Token', 'abc'],
        ['x-token', 'def'],
      ],
      body: '{"a":1}',
    };
    const response = await fetchWith(`${server.origin}/echo`, { allow: '127.0.0.1', init });
    const echoed: unknown = JSON.parse(response.body);
    expect(echoed).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: {
        host: `127.0.0.1:${server.port}`,
        'x-token': 'abc, def',
        'user-agent': 'app-actions-fetch',
      },
    });
  });

  it('decompresses gzip bodies', async () => {
    const response = await fetchWith(`${server.origin}/gzip`, { allow: '127.0.0.1' });
    expect(response.body).toBe('{"packed":true}');
  });

  it('allows a host name by name', async () => {
    const resolve = fixedResolver({ 'intranet.test': ['127.0.0.1'] });
    const url = `http://intranet.test:${server.port}/json`;
    const response = await fetchWith(url, { allow: 'intranet.test', resolve });
    expect(response.status).toBe(200);
    expect(guard.connects).toEqual([`127.0.0.1:${server.port}`]);
    expect(await failure(fetchWith(url, { resolve }))).toContain('points only at loopback');
  });

  it('connects only to an acceptable answer when a name has several', async () => {
    const resolve = fixedResolver({ 'mixed.test': ['10.9.9.9', '::1', '127.0.0.1'] });
    const url = `http://mixed.test:${server.port}/json`;
    const response = await fetchWith(url, { allow: '127.0.0.1', resolve });
    expect(response.status).toBe(200);
    expect(guard.connects).toEqual([`127.0.0.1:${server.port}`]);
  });
});
