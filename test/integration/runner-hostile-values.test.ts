/**
 * Values no run may use to hurt the runner: deep values (host-call arguments, host replies,
 * results) and text PostgreSQL cannot store (NUL, lone surrogates), through a real runner
 * process and the REST front, with another run in flight on the same runner.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { handleRest } from '../../server/api/rest/handler';
import { db } from '../../server/db/client';
import { actionLogs, actions, apps, dataSourceEntries, dataSources, runLeases } from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import { logger } from '../../server/log';
import { LeaseKeeper } from '../../server/runner/leases';
import { executeRunJob } from '../../server/runner/run-task';
import { MAX_HOST_VALUE_DEPTH } from '../../server/runner/sandbox/limits';
import { REPLACED_TEXT_NOTE } from '../../server/runs/storable';
import { enqueueRun } from '../../server/runs/job';
import {
  createTestDatabase,
  startRunner,
  waitFor,
  type RunnerProcess,
  type TestDatabase,
} from '../harness';

let database: TestDatabase;
let runner: RunnerProcess;

const FFFD = '\uFFFD';

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.DEV_API_TOKEN = 't';
  process.env.ACTIONS_SERVER_TIMEOUT_MS = '20000';
  process.env.ACTIONS_RATE_LIMIT_CRUD = '10000';
  process.env.ACTIONS_RATE_LIMIT_RUN = '10000';
  await seedDemo(db());
  runner = await startRunner(database.url, {
    ACTIONS_SERVER_TIMEOUT_MS: '20000',
    RUNNER_CONCURRENCY: '3',
    RUNNER_SANDBOXES: '3',
    RUNNER_LEASE_MS: '1500',
  });
});

afterAll(async () => {
  await runner?.stop();
  await db().$client.end();
  await database?.drop();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await handleRest(
    new Request(`http://localhost${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'auth-token': 't' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function createAction(appId: number, name: string, code: string, dependencies: string[] = []) {
  const [row] = await db()
    .insert(actions)
    .values({ appId, name, code, dependencies, active: true, triggers: [{ trigger: 'manual' }] })
    .returning();
  return row!;
}

const runWithResult = (name: string, payload: unknown = {}) =>
  call('POST', `/v3/apps/1/actions/${name}/run-with-result?version=master`, payload);

async function logOf(runId: string) {
  const [row] = await db().select().from(actionLogs).where(eq(actionLogs.runId, runId));
  return row;
}

function runnerAlive(): boolean {
  return runner.child.exitCode === null && runner.child.signalCode === null;
}

const nested = (depth: number | string) =>
  `JSON.parse('{"a":'.repeat(${depth}) + '1' + '}'.repeat(${depth}))`;

describe('deep values', () => {
  it('fail only their own run: the runner stays up and the run in flight completes', async () => {
    const pid = runner.child.pid;
    await createAction(1, 'slow', `async function execute(context) {
  await new Promise((resolve) => setTimeout(resolve, context.payload.ms));
  return { slept: context.payload.ms };
}`);
    await createAction(1, 'deep-insert', `async function execute() {
  const connection = await Fliplet.DataSources.connectByName('Bookings');
  return connection.insert(${nested(3000)});
}`, ['fliplet-datasources']);
    await createAction(1, 'deep-result', `async function execute(context) {
  return ${nested('context.payload.depth')};
}`);
    const [deepSource] = await db().insert(dataSources).values({ appId: 1, name: 'Deep' }).returning();
    // Stored before data sources capped their entries' nesting.
    const deepData = JSON.parse('{"a":'.repeat(3500) + '1' + '}'.repeat(3500)) as Record<string, unknown>;
    await db().insert(dataSourceEntries).values({ dataSourceId: deepSource!.id, data: deepData });
    await createAction(1, 'deep-read', `async function execute() {
  const connection = await Fliplet.DataSources.connectByName('Deep');
  const entries = await connection.find();
  return entries.length;
}`, ['fliplet-datasources']);

    const queued = await call('POST', '/v3/apps/1/actions/slow/run?version=master', { ms: 4000 });
    expect(queued.status).toBe(202);
    const slowRunId = (queued.body as { runId: string }).runId;
    await waitFor(async () => {
      const [lease] = await db().select().from(runLeases).where(eq(runLeases.runId, slowRunId));
      return lease;
    }, 10_000);

    const inserted = await runWithResult('deep-insert');
    expect(inserted.status).toBe(400);
    const insertMessage = `The arguments of DataSources.insert nest deeper than ${MAX_HOST_VALUE_DEPTH} levels`;
    expect(inserted.body).toMatchObject({ status: 'EXECUTION_FAILED', error: insertMessage });
    const insertLog = await logOf((inserted.body as { runId: string }).runId);
    expect(insertLog?.data.error).toMatchObject({ name: 'RangeError', message: insertMessage });

    const read = await runWithResult('deep-read');
    expect(read.body).toMatchObject({
      status: 'EXECUTION_FAILED',
      error:
        `DataSources.find returned a value nested deeper than ${MAX_HOST_VALUE_DEPTH} levels, ` +
        'which cannot be passed to the action',
    });

    const deepest = await runWithResult('deep-result', { depth: 1000 });
    expect(deepest.status).toBe(200);
    expect(JSON.stringify(deepest.body)).toBe('{"a":'.repeat(1000) + '1' + '}'.repeat(1000));
    const tooDeep = await runWithResult('deep-result', { depth: 1001 });
    expect(tooDeep.body).toMatchObject({
      status: 'EXECUTION_FAILED',
      error: expect.stringContaining('values nested more than 1000 levels deep') as unknown,
    });

    const slow = await waitFor(() => logOf(slowRunId), 15_000);
    expect(slow.type).toBe('app.task.completed');
    expect(slow.data.result).toEqual({ data: { slept: 4000 }, success: true });
    expect(runnerAlive()).toBe(true);
    expect(runner.child.pid).toBe(pid);
    expect(runner.output()).not.toContain('Maximum call stack size exceeded');
  });
});

describe('text PostgreSQL cannot store', () => {
  it('is logged with U+FFFD and a console note, and the caller gets the answer', async () => {
    await createAction(1, 'nul-result', "async function execute() { return { s: 'a\\u0000b' }; }");
    await createAction(1, 'lone-surrogate', "async function execute() { return '\\ud800'; }");
    await createAction(1, 'nul-console', `async function execute() {
  console.log('a\\u0000b');
  return 'done';
}`);
    await createAction(1, 'nul-error', "async function execute() { throw new Error('bad\\u0000'); }");

    const note = { level: 'warn', message: REPLACED_TEXT_NOTE };
    const result = await runWithResult('nul-result');
    expect(result).toMatchObject({ status: 200, body: { s: `a${FFFD}b` } });
    const surrogate = await runWithResult('lone-surrogate');
    expect(surrogate).toMatchObject({ status: 200, body: FFFD });
    const logged = await runWithResult('nul-console');
    expect(logged).toMatchObject({ status: 200, body: 'done' });
    const thrown = await runWithResult('nul-error');
    expect(thrown).toMatchObject({
      status: 400,
      body: { status: 'EXECUTION_FAILED', error: `bad${FFFD}` },
    });

    const logs = await call('GET', '/v3/apps/1/actions/logs?limit=4');
    const entries = (logs.body as { logs: { type: string; data: Record<string, unknown> }[] }).logs;
    expect(entries.map((entry) => entry.type)).toEqual([
      'app.task.failed',
      'app.task.completed',
      'app.task.completed',
      'app.task.completed',
    ]);
    const rows = await db()
      .select()
      .from(actionLogs)
      .where(sql`${actionLogs.console} @> ${JSON.stringify([note])}::jsonb`);
    expect(rows).toHaveLength(4);
    const consoleRow = rows.find((row) => row.data.result !== undefined &&
      (row.data.result as { data?: unknown }).data === 'done');
    expect(consoleRow?.console).toEqual([
      expect.objectContaining({ level: 'log', message: `a${FFFD}b` }),
      expect.objectContaining(note),
    ]);
    const errorRow = rows.find((row) => row.type === 'app.task.failed');
    expect(errorRow?.data.error).toMatchObject({
      name: 'Error',
      message: `bad${FFFD}`,
      stack: expect.stringContaining(`Error: bad${FFFD}`) as unknown,
    });
    expect(runnerAlive()).toBe(true);
  });
});

describe('a run that cannot be recorded at all', () => {
  it('lets its lease expire; the sweep drops it with a logged error and the runner goes on', async () => {
    const [demo] = await db().select().from(apps).where(eq(apps.id, 1));
    const [app] = await db()
      .insert(apps)
      .values({ organizationId: demo!.organizationId, name: 'Short-lived' })
      .returning();
    const doomed = await createAction(app!.id, 'sleeper', `async function execute() {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return 'woke';
}`);
    const runId = crypto.randomUUID();
    await enqueueRun(db(), {
      runId,
      appId: app!.id,
      actionId: doomed.id,
      masterId: doomed.id,
      version: 'master',
      mode: 'on-demand',
      trigger: 'manual',
      payload: {},
      chainDepth: 0,
    });
    await waitFor(async () => {
      const [lease] = await db().select().from(runLeases).where(eq(runLeases.runId, runId));
      return lease;
    }, 10_000);
    // Its run log has nowhere to go now (the log's app is gone), nor has the fallback record.
    await db().delete(apps).where(eq(apps.id, app!.id));

    await waitFor(async () => {
      const [lease] = await db().select().from(runLeases).where(eq(runLeases.runId, runId));
      return lease ? undefined : true;
    }, 15_000);
    const jobs = await db().execute(
      sql`select id from graphile_worker._private_jobs where payload->>'runId' = ${runId}`,
    );
    expect(jobs).toHaveLength(0);
    const output = runner.output();
    expect(output).toContain('could not record the run; recording it as failed instead');
    expect(output).toContain('could not record a lost run; dropping it');
    expect(runnerAlive()).toBe(true);
    const next = await runWithResult('nul-result');
    expect(next.status).toBe(200);
  });
});

describe('a run log that cannot be written', () => {
  it('is replaced by a failed run log that says why', async () => {
    const action = await createAction(1, 'refused-record', 'async function execute() {}');
    // What only a tampered sandbox could hand over: too deep to serialise for the database.
    const depth = 20_000;
    const result = JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
    const sandbox = { run: async () => ({ ok: true as const, result, console: [], durationMs: 3 }) };
    const leases = new LeaseKeeper(db(), logger);
    const deps = {
      db: db(),
      sandbox,
      leases,
      limits: { timeoutMs: 1000, memoryMb: 64 },
      logger,
    };
    const runId = crypto.randomUUID();
    const job = {
      runId,
      appId: 1,
      actionId: action.id,
      masterId: action.id,
      version: 'master',
      mode: 'on-demand',
      trigger: 'manual',
      payload: { n: 1 },
      chainDepth: 0,
    };
    await executeRunJob(deps, job, { jobId: '424242', workerId: null, runAt: new Date() });
    const log = await logOf(runId);
    expect(log?.type).toBe('app.task.failed');
    expect(log?.data).toMatchObject({
      payload: { n: 1 },
      duration: 3,
      error: {
        name: 'RecordError',
        message:
          'The run finished but its result could not be stored: Maximum call stack size exceeded',
      },
    });
    const [lease] = await db().select().from(runLeases).where(eq(runLeases.runId, runId));
    expect(lease).toBeUndefined();
  });
});
