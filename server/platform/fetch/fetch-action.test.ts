import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  createPlatformTestDatabase,
  resultOf,
  runAction,
  type PlatformTestDatabase,
} from '../../../test/platform-scope';
import type { PlatformScope } from '../types';
import { guardSockets, startTestServer, type TestServer } from './test-server';

let test: PlatformTestDatabase;
let scope: PlatformScope;
let server: TestServer;
let guard: ReturnType<typeof guardSockets>;

beforeAll(async () => {
  guard = guardSockets();
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
  server = await startTestServer();
});

beforeEach(() => {
  guard.clear();
});

afterEach(() => {
  delete process.env.ACTIONS_FETCH_ALLOW;
  delete process.env.ACTIONS_FETCH_MAX_BYTES;
});

afterAll(async () => {
  await server?.close();
  await test?.drop();
  guard?.restore();
});

const fetchCode = (path: string, init = '{}') => `async function execute() {
  const response = await fetch(${JSON.stringify(`http://127.0.0.1:PORT${path}`)}, ${init});
  return {
    ok: response.ok,
    status: response.status,
    url: response.url,
    type: response.headers.get('Content-Type'),
    missing: response.headers.get('x-nothing'),
    hasCustom: response.headers.has('X-Custom'),
    headerKeys: Object.keys(response.headers).sort(),
    data: await response.json(),
  };
}`;

const run = (code: string, options: { timeoutMs?: number } = {}) =>
  runAction(scope, code.replaceAll('PORT', String(server.port)), [], options);

describe('[FETCH]: inside an action', () => {
  it('is a global with a small Response, no dependency needed', async () => {
    process.env.ACTIONS_FETCH_ALLOW = '127.0.0.1';
    const result = resultOf(await run(fetchCode('/json')));
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      url: `${server.origin}/json`,
      type: 'application/json',
      missing: null,
      hasCustom: true,
      data: { hello: 'world' },
    });
    const keys = expect.arrayContaining(['content-type', 'x-custom']);
    expect(result).toHaveProperty('headerKeys', keys);
  });

  it('posts a string body and headers', async () => {
    process.env.ACTIONS_FETCH_ALLOW = '127.0.0.1';
    const init = `{ method: 'POST', headers: { 'Content-Type': 'application/json', 'X-N': 5 },
      body: JSON.stringify({ a: 1 }) }`;
    const result = resultOf(await run(fetchCode('/echo', init)));
    expect(result).toMatchObject({
      data: {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json', 'x-n': '5' },
      },
    });
  });

  it('refuses loopback by default, before connecting', async () => {
    const outcome = await run(fetchCode('/json'));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.message).toContain(
      `fetch: http://127.0.0.1:${server.port} is not reachable from actions`,
    );
    expect(guard.connects.filter((target) => target.endsWith(`:${server.port}`))).toEqual([]);
  });

  it('reports a body that is not a string and a response over the cap', async () => {
    process.env.ACTIONS_FETCH_ALLOW = '127.0.0.1';
    const objectBody = await run(fetchCode('/echo', "{ method: 'POST', body: { a: 1 } }"));
    expect(!objectBody.ok && objectBody.error.message).toContain('the body must be a string');
    process.env.ACTIONS_FETCH_MAX_BYTES = '100';
    const big = await run(fetchCode('/big'));
    expect(!big.ok && big.error.message).toBe('fetch: the response is larger than 100 bytes');
  });

  it('cancels the request in flight when the run times out', async () => {
    process.env.ACTIONS_FETCH_ALLOW = '127.0.0.1';
    const closed = server.nextSlowClose();
    const outcome = await run(fetchCode('/slow'), { timeoutMs: 500 });
    expect(!outcome.ok && outcome.limit).toBe('timeout');
    await closed;
  });
});
