/**
 * The page runtime against a stand-in API (a stubbed `fetch`) and the real worker script in a
 * Node vm: which actions an event runs, what runs here and what goes to the server, and what
 * each finished run reports.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Trigger } from '../../../actions/validate';
import { ActionsApiError } from '../../actions-client';
import { BASE_PRELUDE } from '../browser-preludes';
import { buildWorkerSource } from '../bundle';
import type { ClientAction, ClientCatalogue } from '../catalogue';
import type { RuntimeEvent } from './events';
import { ActionsRuntime, findAction } from './runtime';
import { vmWorkerFactory } from './test-support';
import type { WorkerFactory } from './worker-run';

let factory: WorkerFactory;

beforeAll(async () => {
  factory = vmWorkerFactory(await buildWorkerSource());
});

function clientAction(id: number, name: string, code: string, triggers: Trigger[]): ClientAction {
  return {
    id,
    masterId: id,
    name,
    environment: 'client',
    triggers,
    dependencies: [],
    code,
    codeHash: 'c'.repeat(64),
    preludes: [BASE_PRELUDE.name],
  };
}

const onBookings: Trigger = {
  trigger: 'analytics',
  where: { type: 'analytics.pageView', data: { _pageId: 102 } },
};

const catalogue: ClientCatalogue = {
  appId: 1,
  version: 'master',
  clientTimeoutMs: 30_000,
  maxPayloadBytes: 1024,
  actions: [
    clientAction(11, 'tip', 'async function execute(context) { return context.payload.data._pageId; }',
      [onBookings]),
    clientAction(12, 'double', 'async function execute(context) { return context.payload.n * 2; }',
      [{ trigger: 'manual' }]),
    clientAction(14, 'boom', 'async function execute(context) { throw new RangeError("no way"); }',
      [{ trigger: 'manual' }]),
    { ...clientAction(13, 'both-ways', 'async function execute(context) { return "here"; }',
      [{ trigger: 'manual' }, onBookings]), environment: 'any' },
  ],
  preludes: { [BASE_PRELUDE.name]: BASE_PRELUDE.source },
};

interface Sent {
  method: string;
  url: string;
  body: unknown;
}

let sent: Sent[];

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

beforeEach(() => {
  sent = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    sent.push({ method: init.method ?? 'GET', url, body });
    if (url.includes('/client-actions')) return answer(200, catalogue);
    if (url.includes('/client-runs')) return answer(201, { logged: true, runId: 'x', logId: 7 });
    if (url.includes('/run-with-result')) return answer(200, { from: 'server' });
    return answer(404, { status: 'NOT_FOUND', error: 'no route' });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function startRuntime() {
  const events: RuntimeEvent[] = [];
  const runtime = new ActionsRuntime(factory, {
    baseUrl: 'http://platform.test',
    appId: 1,
    token: 'tok',
    version: 'master',
  });
  runtime.events.subscribe((event) => events.push(event));
  const finished = (count: number) =>
    vi.waitFor(() => {
      const done = events.filter((event) => event.type === 'run-finished');
      expect(done).toHaveLength(count);
      return done;
    });
  return { runtime, events, finished };
}

const pageView = (pageId: number) => ({
  createdAt: 1,
  type: 'analytics.pageView' as const,
  data: { _pageId: pageId, _pageTitle: 'Screen' },
});

describe('[RUNTIME]: the page runtime', () => {
  it('loads the master list once, with the token, and matches events against it', async () => {
    const { runtime, events, finished } = startRuntime();
    // Sent before the list is there: kept, then matched.
    runtime.track(pageView(102));
    runtime.track(pageView(103));
    const runs = await finished(2);
    const outcomes = Object.fromEntries(runs.flatMap((event) =>
      event.type === 'run-finished' ? [[event.run.name, event.outcome]] : []));
    expect(outcomes.tip).toMatchObject({ ok: true, result: 102 });
    expect(outcomes['both-ways']).toMatchObject({ ok: true, result: 'here' });
    const matched = events.flatMap((event) => (event.type === 'analytics' ? [event.matched] : []));
    expect(matched).toEqual([['tip', 'both-ways'], []]);
    const loads = sent.filter((request) => request.url.includes('/client-actions'));
    expect(loads.map((request) => request.url)).toEqual([
      'http://platform.test/v3/apps/1/client-actions?version=master',
    ]);
  });

  it('reports every finished run for the log, with what the server needs', async () => {
    const { runtime, events } = startRuntime();
    runtime.track(pageView(102));
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'run-logged')).toHaveLength(2));
    const reports = sent.filter((request) => request.url.endsWith('/client-runs'));
    expect(reports.map((request) => request.url).sort()).toEqual([
      'http://platform.test/v3/apps/1/actions/11/client-runs',
      'http://platform.test/v3/apps/1/actions/13/client-runs',
    ]);
    expect(reports[0]?.body).toMatchObject({
      trigger: 'analytics',
      payload: pageView(102),
      codeHash: 'c'.repeat(64),
      outcome: { ok: true },
      console: [],
    });
  });

  it('runs a client action here on runWithResult, by name or id', async () => {
    const { runtime } = startRuntime();
    await expect(runtime.runWithResult('double', { n: 21 })).resolves.toBe(42);
    await expect(runtime.runWithResult(12, { n: 2 })).resolves.toBe(4);
    await expect(runtime.runWithResult('12', { n: 3 })).resolves.toBe(6);
    expect(sent.some((request) => request.url.includes('/run-with-result'))).toBe(false);
  });

  it('sends any actions and unknown names to the server', async () => {
    const { runtime } = startRuntime();
    await expect(runtime.runWithResult('both-ways')).resolves.toEqual({ from: 'server' });
    await expect(runtime.runWithResult('hello-world')).resolves.toEqual({ from: 'server' });
    const calls = sent.filter((request) => request.url.includes('/run-with-result'));
    expect(calls.map((request) => request.url)).toEqual([
      'http://platform.test/v3/apps/1/actions/both-ways/run-with-result?version=master',
      'http://platform.test/v3/apps/1/actions/hello-world/run-with-result?version=master',
    ]);
  });

  it('refuses what the server would refuse, with the same codes', async () => {
    const { runtime } = startRuntime();
    const refusal = (promise: Promise<unknown>) =>
      promise.then(() => 'no error', (error: unknown) =>
        error instanceof ActionsApiError ? [error.status, error.httpStatus] : String(error));
    expect(await refusal(runtime.runWithResult('tip'))).toEqual(['ACTION_NOT_RUNNABLE', 400]);
    expect(await refusal(runtime.runWithResult('double', { big: 'x'.repeat(2000) })))
      .toEqual(['PAYLOAD_TOO_LARGE', 413]);
    const arrayPayload: unknown = [1];
    expect(await refusal(runtime.runWithResult('double', arrayPayload as Record<string, unknown>)))
      .toEqual(['PAYLOAD_INVALID', 400]);
  });

  it('answers a failed run as the server answers it', async () => {
    const { runtime } = startRuntime();
    const error = await runtime.runWithResult('boom').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ActionsApiError);
    if (error instanceof ActionsApiError) {
      expect([error.status, error.httpStatus, error.error]).toEqual(['EXECUTION_FAILED', 400,
        'no way']);
      expect(error.details).toMatchObject({ runOn: 'client', errorDetails: { name: 'RangeError' } });
    }
  });

  it('lowers the time limit for the page when configured, never raises it', () => {
    const { runtime } = startRuntime();
    runtime.configure({ clientTimeoutMs: 3000 });
    expect(runtime.limits()).toEqual({ clientTimeoutMs: 3000 });
    runtime.configure({ clientTimeoutMs: 90_000 });
    return runtime.ready().then(() => {
      expect(runtime.limits()).toEqual({ clientTimeoutMs: 30_000 });
    });
  });

  it('looks actions up as the server does: id first, then name', () => {
    const actions = [
      clientAction(5, '7', 'x', []),
      { ...clientAction(7, 'seven', 'x', []), masterId: 3 },
    ];
    expect(findAction(actions, 7)?.name).toBe('seven');
    expect(findAction(actions, '7')?.name).toBe('seven');
    expect(findAction(actions, 3)?.name).toBe('seven');
    expect(findAction(actions, '5')?.name).toBe('7');
    expect(findAction(actions, 'nope')).toBeUndefined();
  });
});
