import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { handleRest } from '../../server/api/rest/handler';
import { db } from '../../server/db/client';
import { seedDemo } from '../../server/db/seed';
import { createTestDatabase, startRunner, type RunnerProcess, type TestDatabase } from '../harness';

let database: TestDatabase;
let runner: RunnerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.DEV_API_TOKEN = 't';
  process.env.ACTIONS_SERVER_TIMEOUT_MS = '3000';
  process.env.ACTIONS_RATE_LIMIT_CRUD = '10000';
  process.env.ACTIONS_RATE_LIMIT_RUN = '10000';
  await seedDemo(db());
  runner = await startRunner(database.url, { ACTIONS_SERVER_TIMEOUT_MS: '3000' });
});

afterAll(async () => {
  await runner?.stop();
  await db().$client.end();
  await database?.drop();
});

async function call(method: string, path: string, body?: unknown, token: string | null = 't') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['auth-token'] = token;
  const response = await handleRest(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

const actions = '/v3/apps/1/actions';

describe('REST: create, run and read the log', () => {
  it('gives each version its own lastRunAt: a new production copy has never run', async () => {
    type ActionJson = { action: { id: number; lastRunAt: string | null } };
    const created = await call('POST', actions, {
      name: 'versions-last-run',
      code: 'async function execute(context) { return 1; }',
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const masterId = (created.body as ActionJson).action.id;
    expect((created.body as ActionJson).action.lastRunAt).toBeNull();
    const ran = await call('POST', `${actions}/${masterId}/run-with-result?version=master`, {});
    expect(ran.status).toBe(200);
    const masterRunAt = async () =>
      ((await call('GET', `${actions}/${masterId}`)).body as ActionJson).action.lastRunAt;
    const afterMasterRun = await masterRunAt();
    expect(afterMasterRun).not.toBeNull();

    const published = await call('POST', `${actions}/${masterId}/publish`);
    expect(published.status).toBe(200);
    const production = (published.body as ActionJson).action;
    expect(production.id).not.toBe(masterId);
    expect(production.lastRunAt).toBeNull();
    const productionRunAt = async () =>
      ((await call('GET', `${actions}/${production.id}`)).body as ActionJson).action.lastRunAt;
    expect(await productionRunAt()).toBeNull();

    const live = await call('POST', `${actions}/${masterId}/run-with-result?version=production`, {});
    expect(live.status).toBe(200);
    const afterProductionRun = await productionRunAt();
    expect(afterProductionRun).not.toBeNull();
    expect(Date.parse(afterProductionRun ?? '')).toBeGreaterThan(Date.parse(afterMasterRun ?? ''));
    // The production run leaves the master's own time as it was, in reads and in the list.
    expect(await masterRunAt()).toBe(afterMasterRun);
    const list = (await call('GET', `${actions}?limit=100`)).body as {
      actions: { id: number; lastRunAt: string | null }[];
    };
    expect(list.actions.find((action) => action.id === masterId)?.lastRunAt).toBe(afterMasterRun);
  });

  it('runs the master version of a new action and logs the result', async () => {
    const created = await call('POST', actions, {
      name: 'ping',
      code: 'async function execute(context) { return { pong: context.payload.n + 1 }; }',
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    expect(created.status).toBe(201);
    const action = (created.body as { action: { id: number; active: boolean } }).action;
    expect(action.active).toBe(true);

    const run = await call('POST', `${actions}/ping/run-with-result?version=master`, { n: 41 });
    expect(run).toEqual({ status: 200, body: { pong: 42 } });

    const logs = await call('GET', `${actions}/logs?id=${action.id}`);
    const { count, logs: entries } = logs.body as {
      count: number;
      logs: { type: string; data: Record<string, unknown> }[];
    };
    expect(count).toBe(1);
    expect(entries[0]?.type).toBe('app.task.completed');
    expect(entries[0]?.data).toMatchObject({
      mode: 'on-demand',
      runOn: 'server',
      taskId: action.id,
      payload: { n: 41 },
      actionVersion: 'v3',
      result: { data: { pong: 42 }, success: true },
    });
    expect(typeof entries[0]?.data.duration).toBe('number');

    const fetched = await call('GET', `${actions}/${action.id}`);
    const lastRunAt = (fetched.body as { action: { lastRunAt: string | null } }).action.lastRunAt;
    expect(lastRunAt).not.toBeNull();
  });

  it('returns small results from the run notification and large ones from the log row', async () => {
    const created = await call('POST', actions, {
      name: 'sized',
      code: 'async function execute(context) { return { text: "x".repeat(context.payload.n) }; }',
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    expect(created.status).toBe(201);
    // 100 characters fit in a notification; 20,000 do not (limit 8000 bytes).
    for (const n of [100, 20_000]) {
      const run = await call('POST', `${actions}/sized/run-with-result?version=master`, { n });
      expect(run).toEqual({ status: 200, body: { text: 'x'.repeat(n) } });
    }
    const failed = await call('POST', `${actions}/sized/run-with-result?version=master`, { n: -1 });
    expect(failed.status).toBe(400);
    expect(failed.body).toMatchObject({ status: 'EXECUTION_FAILED' });
  });

  it('answers EXECUTION_FAILED for a throwing action and logs the error with its stack', async () => {
    const run = await call('POST', `${actions}/divide/run-with-result?version=master`, {
      a: 1,
      b: 0,
    });
    expect(run.status).toBe(400);
    expect(run.body).toMatchObject({ status: 'EXECUTION_FAILED', error: 'Cannot divide by zero' });

    const logs = await call('GET', `${actions}/logs?type=app.task.failed&limit=1`);
    const entry = (logs.body as { logs: { type: string; data: Record<string, unknown> }[] })
      .logs[0];
    expect(entry?.type).toBe('app.task.failed');
    const error = entry?.data.error as { name: string; message: string; stack: string };
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('Cannot divide by zero');
    expect(error.stack).toMatch(/action\.js:4/);
    expect(entry?.data.result).toMatchObject({ success: false, error: { name: 'RangeError' } });
  });

  it('queues a run and answers 202 at once', async () => {
    const queued = await call('POST', `${actions}/hello-world/run`, { name: 'queue' });
    expect(queued.status).toBe(202);
    const runId = (queued.body as { runId: string }).runId;
    await expect
      .poll(async () => {
        const logs = await call('GET', `${actions}/logs?limit=5`);
        return (logs.body as { logs: { data: { payload: { name?: string } } }[] }).logs.some(
          (l) => l.data.payload.name === 'queue',
        );
      }, { timeout: 10_000 })
      .toBe(true);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('drops __proto__ keys at every level of a payload, in the run and its log', async () => {
    const created = await call('POST', actions, {
      name: 'proto-keys',
      code: `async function execute(context) {
        const p = context.payload;
        return {
          keys: Object.keys(p),
          nested: Object.keys(p.nested),
          inList: Object.keys(p.list[0]),
          plain: Object.getPrototypeOf(p.nested) === Object.prototype,
          polluted: [({}).top, ({}).x, ({}).y, p.nested.x, p.list[0].y].filter((v) => v),
        };
      }`,
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    expect(created.status).toBe(201);
    const id = (created.body as { action: { id: number } }).action.id;
    // JSON.parse makes each __proto__ an own key, so the request body carries all three.
    const payload: unknown = JSON.parse(
      '{"__proto__":{"top":1},"nested":{"__proto__":{"x":1},"keep":1},' +
        '"list":[{"__proto__":{"y":2},"z":3}]}',
    );
    expect(JSON.stringify(payload).match(/__proto__/g)).toHaveLength(3);
    const run = await call('POST', `${actions}/${id}/run-with-result?version=master`, payload);
    expect(run).toEqual({
      status: 200,
      body: { keys: ['nested', 'list'], nested: ['keep'], inList: ['z'], plain: true, polluted: [] },
    });
    const logs = await call('GET', `${actions}/logs?id=${id}`);
    const [entry] = (logs.body as { logs: { data: { payload: unknown } }[] }).logs;
    expect(entry?.data.payload).toEqual({ nested: { keep: 1 }, list: [{ z: 3 }] });
    expect(JSON.stringify(logs.body)).not.toContain('__proto__');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('runs the production version by default', async () => {
    const run = await call('POST', `${actions}/hello-world/run-with-result`, { name: 'prod' });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ message: 'Hello, prod!' });
  });

  it('hands a platform refusal to the action named by its code', async () => {
    const created = await call('POST', actions, {
      name: 'missing-source',
      code: `async function execute(context) {
  try {
    await Fliplet.DataSources.connect(context.payload.id || 999999);
    return { caught: null };
  } catch (error) {
    return { caught: error.name, message: error.message };
  }
}`,
      active: true,
      triggers: [{ trigger: 'manual' }],
      dependencies: ['fliplet-datasources'],
    });
    expect(created.body).toMatchObject({ action: { name: 'missing-source' } });
    const run = await call('POST', `${actions}/missing-source/run-with-result?version=master`, {});
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ caught: 'DATA_SOURCE_NOT_FOUND' });
  });

  it('runs a data source action against the seeded Bookings', async () => {
    const count = await call('POST', `${actions}/count-bookings/run-with-result?version=master`, {
      status: 'Pending',
    });
    expect(count).toEqual({ status: 200, body: { count: 2 } });
    const confirmed = await call(
      'POST',
      `${actions}/confirm-booking/run-with-result?version=master`,
      { entryId: 1, name: 'Nick' },
    );
    expect(confirmed.body).toMatchObject({
      success: true,
      booking: { Status: 'Confirmed', ConfirmedBy: 'Nick' },
    });
  });
});

describe('REST: refusals', () => {
  it.each([
    ['no token', 'GET', actions, undefined, null, 401, 'UNAUTHORIZED'],
    ['a wrong token', 'GET', actions, undefined, 'nope', 401, 'UNAUTHORIZED'],
    ['another app', 'GET', '/v3/apps/2/actions', undefined, 't', 404, 'APP_NOT_FOUND'],
    ['an unknown action', 'GET', `${actions}/999999`, undefined, 't', 404, 'ACTION_NOT_FOUND'],
    ['a missing name', 'POST', actions, { code: 'x' }, 't', 400, 'NAME_REQUIRED'],
    ['a payload that is not an object', 'POST', `${actions}/hello-world/run`, [1], 't', 400,
      'PAYLOAD_INVALID'],
  ])('refuses %s', async (_label, method, path, body, token, status, code) => {
    const response = await call(method, path, body, token);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ status: code });
    expect(typeof (response.body as { error: unknown }).error).toBe('string');
  });
});
