import { randomUUID } from 'node:crypto';

import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminContext, contextFor, createTestUser } from '../../test/accounts';
import {
  createTestDatabase,
  startRunner,
  type RunnerProcess,
  type TestDatabase,
} from '../../test/harness';
import {
  createAction,
  publishAction,
  removeAction,
  unpublishAction,
  updateAction,
} from '../actions/service';
import { createCaller } from '../api/root';
import { runWaiter } from '../api/waiter';
import { db } from '../db/client';
import { actionLogs, actions, codeVersions } from '../db/schema';
import { seedDemo } from '../db/seed';
import { isAppError } from '../errors';
import { codeVersionHash } from './job';
import { findRunLog, getRunLogRow, RUN_COMPLETED, RUN_FAILED } from './logs';
import { rerunJob } from './rerun';
import { runWithResult } from './request';

const APP = 1;
let database: TestDatabase;
let runner: RunnerProcess;
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.ACTIONS_SERVER_TIMEOUT_MS = '5000';
  await seedDemo(db());
  runner = await startRunner(database.url, { ACTIONS_SERVER_TIMEOUT_MS: '5000' });
  caller = createCaller(await adminContext(db()));
});

afterAll(async () => {
  await runner?.stop();
  await db().$client.end();
  await database?.drop();
});

async function master(name: string) {
  const [row] = await db()
    .select()
    .from(actions)
    .where(and(eq(actions.appId, APP), eq(actions.name, name), isNull(actions.masterId)));
  if (!row) throw new Error(`no demo action ${name}`);
  return row;
}

/** Runs an action on demand and answers its run log id, failed or not. */
async function runOnce(name: string, payload: unknown, version: 'master' | 'production') {
  try {
    const request = { appId: APP, nameOrId: name, version, payload };
    const run = await runWithResult(db(), runWaiter(), request);
    return run.logId;
  } catch (error) {
    if (isAppError(error) && error.details?.logId) return Number(error.details.logId);
    throw error;
  }
}

async function rerun(logId: number, on: 'same-version' | 'master') {
  return caller.runs.rerun({ appId: APP, logId, on });
}

async function statusOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'resolved',
    (error: unknown) => {
      // tRPC callers wrap the product's error; service functions throw it as it is.
      const cause = error instanceof Error && isAppError(error.cause) ? error.cause : error;
      return isAppError(cause) ? cause.status : String(error);
    },
  );
}

describe('re-run a logged run', () => {
  it('repeats the payload on the exact version that ran, after the master changed', async () => {
    const divide = await master('divide');
    const original = await runOnce('divide', { a: 1, b: 0 }, 'master');
    const originalRow = await getRunLogRow(db(), APP, original);
    expect(originalRow.type).toBe(RUN_FAILED);

    const fixed = divide.code.replace(
      "throw new RangeError('Cannot divide by zero')",
      'return { quotient: null }',
    );
    await updateAction(db(), APP, divide.id, { code: fixed });

    const same = await rerun(original, 'same-version');
    expect(same.row).toMatchObject({ outcome: 'failed', rerunOf: original, version: 'master' });
    expect(same.row?.error?.message).toBe('Cannot divide by zero');
    const sameRow = await getRunLogRow(db(), APP, same.logId!);
    expect(sameRow.codeHash).toBe(originalRow.codeHash);
    expect(sameRow.data.payload).toEqual({ a: 1, b: 0 });
    expect(sameRow.data.mode).toBe('on-demand');

    const current = await rerun(original, 'master');
    expect(current.row).toMatchObject({ outcome: 'completed', rerunOf: original });
    const currentRow = await getRunLogRow(db(), APP, current.logId!);
    expect(currentRow.codeHash).toBe(codeVersionHash(fixed, divide.dependencies));
    expect(currentRow.data.result).toEqual({ data: { quotient: null }, success: true });

    const detail = await caller.runs.get({ appId: APP, logId: original });
    expect(detail.reruns).toEqual([current.logId, same.logId]);
    expect(detail.action?.matchesMaster).toBe(false);
    expect(detail.code?.code).toContain('Cannot divide by zero');
    await updateAction(db(), APP, divide.id, { code: divide.code });
  });

  it('re-runs a production run on production, and refuses once it is unpublished', async () => {
    const hello = await master('hello-world');
    await publishAction(db(), APP, hello.id);
    const original = await runOnce('hello-world', { name: 'prod' }, 'production');
    const again = await rerun(original, 'same-version');
    expect(again.row).toMatchObject({ outcome: 'completed', version: 'production' });

    await unpublishAction(db(), APP, hello.id);
    expect(await statusOf(rerun(original, 'same-version'))).toBe('ACTION_NOT_PUBLISHED');
    expect((await rerun(original, 'master')).row?.version).toBe('master');
    await publishAction(db(), APP, hello.id);
  });

  it('queues without waiting and answers the new run id', async () => {
    const original = await runOnce('divide', { a: 4, b: 2 }, 'master');
    const input = { appId: APP, logId: original, on: 'master' as const, wait: false };
    const queued = await caller.runs.rerun(input);
    expect(queued).toMatchObject({ logId: null, row: null });
    const deadline = Date.now() + 10_000;
    let logged = await findRunLog(db(), queued.runId);
    while (!logged && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      logged = await findRunLog(db(), queued.runId);
    }
    expect(logged?.rerunOf).toBe(original);
    expect(logged?.type).toBe(RUN_COMPLETED);
  });

  it('re-runs a scheduled run of an action without a manual trigger', async () => {
    const code = 'async function execute(context) { return Object.keys(context.payload); }';
    const nightly = await createAction(db(), APP, {
      name: 'nightly',
      code,
      active: true,
      triggers: [{ trigger: 'schedule' }],
      frequency: '0 3 * * *',
      timezone: 'UTC',
    });
    const hash = codeVersionHash(code, []);
    await db().insert(codeVersions).values({ hash, code, dependencies: [] }).onConflictDoNothing();
    const [scheduled] = await db()
      .insert(actionLogs)
      .values({
        appId: APP,
        masterId: nightly.id,
        runId: randomUUID(),
        type: RUN_FAILED,
        data: { mode: 'scheduled', runOn: 'server', taskId: nightly.id, payload: {}, duration: 1 },
        version: 'master',
        codeHash: hash,
      })
      .returning();
    const again = await rerun(scheduled!.id, 'same-version');
    expect(again.row).toMatchObject({ outcome: 'completed', mode: 'on-demand' });
  });
});

describe('re-run refusals', () => {
  it('answers ACTION_INACTIVE, CLIENT_ACTION_NOT_RUNNABLE and ACTION_NOT_FOUND', async () => {
    const created = await createAction(db(), APP, {
      name: 'short-lived',
      code: 'async function execute(context) { return context.payload; }',
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    const original = await runOnce('short-lived', {}, 'master');

    await updateAction(db(), APP, created.id, { active: false });
    expect(await statusOf(rerun(original, 'master'))).toBe('ACTION_INACTIVE');

    await updateAction(db(), APP, created.id, { active: true, environment: 'client' });
    expect(await statusOf(rerun(original, 'same-version'))).toBe('CLIENT_ACTION_NOT_RUNNABLE');

    await removeAction(db(), APP, created.id);
    expect(await statusOf(rerun(original, 'master'))).toBe('ACTION_NOT_FOUND');
  });

  it('cannot re-run on the same version a run whose code was never kept', async () => {
    const divide = await master('divide');
    const [neverStarted] = await db()
      .insert(actionLogs)
      .values({
        appId: APP,
        masterId: divide.id,
        runId: randomUUID(),
        type: RUN_FAILED,
        data: { mode: 'on-demand', runOn: 'server', taskId: divide.id, payload: { a: 1, b: 1 } },
        version: 'master',
        codeHash: '',
      })
      .returning();
    await expect(rerunJob(db(), { appId: APP, logId: neverStarted!.id, on: 'same-version' }))
      .rejects.toMatchObject({ status: 'NOT_FOUND' });
    const job = await rerunJob(db(), { appId: APP, logId: neverStarted!.id, on: 'master' });
    expect(job).toMatchObject({ payload: { a: 1, b: 1 }, rerunOf: neverStarted!.id });
  });

  it('only sees runs of its own app', async () => {
    // An app the caller has no role on answers as if it did not exist.
    expect(await statusOf(caller.runs.rerun({ appId: 999, logId: 1, on: 'master' }))).toBe(
      'APP_NOT_FOUND',
    );
  });
});

describe('who may re-run', () => {
  it('lets support staff re-run and read the log, but not run the test panel', async () => {
    const original = await runOnce('divide', { a: 9, b: 3 }, 'master');
    const support = createCaller(
      contextFor(db(), await createTestUser(db(), { apps: [[APP, 'support']] })),
    );
    const again = await support.runs.rerun({ appId: APP, logId: original, on: 'same-version' });
    expect(again.row).toMatchObject({ outcome: 'completed', rerunOf: original });
    const page = await support.runs.explore({ appId: APP, outcome: 'completed' });
    expect(page.rows.map((row) => row.id)).toContain(again.logId);
    const divide = await master('divide');
    const test = support.runs.test({ appId: APP, id: divide.id, payload: { a: 1, b: 1 } });
    expect(await statusOf(test)).toBe('FORBIDDEN');
  });

  it('refuses viewers', async () => {
    const original = await runOnce('divide', { a: 8, b: 2 }, 'master');
    const viewer = createCaller(
      contextFor(db(), await createTestUser(db(), { apps: [[APP, 'viewer']] })),
    );
    expect(await statusOf(viewer.runs.rerun({ appId: APP, logId: original, on: 'master' })))
      .toBe('FORBIDDEN');
    expect((await viewer.runs.get({ appId: APP, logId: original })).id).toBe(original);
  });
});
