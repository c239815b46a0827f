import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isAppError } from '../../errors';
import { parseAllowList } from './config';
import { fetchHostMethods, MAX_CONCURRENT_FETCHES } from './package';
import { guardedFetch, type FetchResult } from './service';
import { guardSockets, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let guard: ReturnType<typeof guardSockets>;

beforeAll(async () => {
  guard = guardSockets();
  server = await startTestServer();
});

beforeEach(() => {
  guard.clear();
});

afterAll(async () => {
  await server?.close();
  guard?.restore();
});

function fetchWith(
  path: string,
  limits: { timeoutMs?: number; maxBytes?: number; signal?: AbortSignal } = {},
): Promise<FetchResult> {
  const config = {
    timeoutMs: limits.timeoutMs ?? 5000,
    maxBytes: limits.maxBytes ?? 1024 * 1024,
    allow: parseAllowList('127.0.0.1'),
  };
  const signal = limits.signal ?? new AbortController().signal;
  return guardedFetch(`${server.origin}${path}`, {}, { config, signal });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return `${error.status}: ${error.message}`;
}

describe('[FETCH]: size cap', () => {
  it('refuses a body over the cap, declared or streamed', async () => {
    const tooLarge = 'PAYLOAD_TOO_LARGE: fetch: the response is larger than 5000 bytes';
    expect(await failure(fetchWith('/big', { maxBytes: 5000 }))).toBe(tooLarge);
    expect(await failure(fetchWith('/stream', { maxBytes: 5000 }))).toBe(tooLarge);
    expect((await fetchWith('/big', { maxBytes: 10_000 })).body).toHaveLength(10_000);
    expect((await fetchWith('/stream', { maxBytes: 20_000 })).body).toHaveLength(20_000);
  });

  it('counts bytes after decompression, so a gzip bomb is stopped', async () => {
    const message = await failure(fetchWith('/bomb', { maxBytes: 64 * 1024 }));
    expect(message).toContain('larger than 65536 bytes');
  });
});

describe('[FETCH]: concurrency', () => {
  it(`keeps at most ${MAX_CONCURRENT_FETCHES} fetches of one run in flight`, async () => {
    process.env.ACTIONS_FETCH_ALLOW = '127.0.0.1';
    const { request } = fetchHostMethods();
    if (!request) throw new Error('no request method');
    const signal = new AbortController().signal;
    try {
      const hold = () => request([`${server.origin}/hold`, {}], signal);
      const calls = Array.from({ length: 10 }, hold);
      expect(await Promise.all(calls)).toHaveLength(10);
      expect(server.maxHeld()).toBe(MAX_CONCURRENT_FETCHES);
    } finally {
      delete process.env.ACTIONS_FETCH_ALLOW;
    }
  });
});

describe('[FETCH]: time-out and cancellation', () => {
  it('gives up after the time-out and closes the connection', async () => {
    const closed = server.nextSlowClose();
    const started = Date.now();
    expect(await failure(fetchWith('/slow', { timeoutMs: 300 }))).toBe(
      `EXECUTION_TIMEOUT: fetch: ${server.origin} did not answer within 300 ms`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    await closed;
  });

  it("stops when the run's signal aborts", async () => {
    const closed = server.nextSlowClose();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await failure(fetchWith('/slow', { signal: controller.signal }))).toBe(
      'EXECUTION_FAILED: fetch: cancelled because the run ended',
    );
    await closed;
  });

  it('does not start when the run has already ended', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failure(fetchWith('/json', { signal: controller.signal }))).toContain(
      'cancelled',
    );
    expect(guard.connects).toEqual([]);
  });

  it('reports a closed port as unreachable', async () => {
    const closedPort = await startTestServer();
    await closedPort.close();
    const config = { timeoutMs: 2000, maxBytes: 1000, allow: parseAllowList('127.0.0.1') };
    const signal = new AbortController().signal;
    const message = await failure(guardedFetch(`${closedPort.origin}/`, {}, { config, signal }));
    const expected = `EXECUTION_FAILED: fetch: could not reach ${closedPort.origin} (ECONNREFUSED)`;
    expect(message).toBe(expected);
  });
});
