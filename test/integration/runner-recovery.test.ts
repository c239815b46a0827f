import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDatabase, type Database } from '../../server/db/client';
import { actionLogs, actions, runLeases } from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import { logger } from '../../server/log';
import { LeaseKeeper } from '../../server/runner/leases';
import { enqueueRun, type RunJob } from '../../server/runs/job';
import { createTestDatabase, startRunner, waitFor, type TestDatabase } from '../harness';

let database: TestDatabase;
let db: Database;
let slowId: number;

const runnerEnv = { RUNNER_LEASE_MS: '1500', ACTIONS_SERVER_TIMEOUT_MS: '20000' };

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url);
  await seedDemo(db);
  const [slow] = await db
    .insert(actions)
    .values({
      appId: 1,
      name: 'slow',
      code: `async function execute(context) {
  await new Promise((resolve) => setTimeout(resolve, context.payload.ms));
  return { slept: context.payload.ms };
}`,
      active: true,
      triggers: [{ trigger: 'manual' }],
    })
    .returning();
  slowId = slow!.id;
});

afterAll(async () => {
  await db.$client.end();
  await database.drop();
});

async function queueSlow(ms: number, rerunOf?: number): Promise<string> {
  const runId = crypto.randomUUID();
  await enqueueRun(db, {
    runId,
    appId: 1,
    actionId: slowId,
    masterId: slowId,
    version: 'master',
    mode: 'on-demand',
    trigger: 'manual',
    payload: { ms },
    chainDepth: 0,
    ...(rerunOf === undefined ? {} : { rerunOf }),
  });
  return runId;
}

async function logOf(runId: string) {
  const [row] = await db.select().from(actionLogs).where(eq(actionLogs.runId, runId));
  return row;
}

describe('runner processes', () => {
  it('a run in flight when its runner is SIGKILLed is recorded as failed by another runner', async () => {
    const doomed = await startRunner(database.url, runnerEnv);
    // The lost run is a re-run: its record, written by another runner, keeps the link.
    const originalRunId = await queueSlow(10);
    const original = await waitFor(() => logOf(originalRunId), 10_000);
    const runId = await queueSlow(10_000, original.id);
    await waitFor(async () => {
      const [lease] = await db.select().from(runLeases).where(eq(runLeases.runId, runId));
      return lease;
    }, 10_000);
    await doomed.stop('SIGKILL');

    const survivor = await startRunner(database.url, runnerEnv);
    try {
      const log = await waitFor(() => logOf(runId), 15_000);
      expect(log.type).toBe('app.task.failed');
      expect(log.data.error).toMatchObject({ name: 'RunnerLostError' });
      expect(log.rerunOf).toBe(original.id);
      const jobs = await db.execute(sql`select id from graphile_worker._private_jobs`);
      expect(jobs).toHaveLength(0);
      // The survivor still works, and the lost run is never repeated.
      const next = await queueSlow(10);
      expect((await waitFor(() => logOf(next), 10_000)).type).toBe('app.task.completed');
      const logs = await db.select().from(actionLogs).where(eq(actionLogs.runId, runId));
      expect(logs).toHaveLength(1);
    } finally {
      await survivor.stop();
    }
  });

  it('SIGTERM drains: the run in flight finishes, then the runner exits cleanly', async () => {
    const runner = await startRunner(database.url, runnerEnv);
    const runId = await queueSlow(1500);
    await waitFor(async () => {
      const [lease] = await db.select().from(runLeases).where(eq(runLeases.runId, runId));
      return lease;
    }, 10_000);
    const exitCode = await runner.stop('SIGTERM');
    const log = await logOf(runId);
    expect(log?.type).toBe('app.task.completed');
    expect(log?.data.result).toEqual({ data: { slept: 1500 }, success: true });
    expect(exitCode).toBe(0);
  });

  it('SIGTERM with prefetched jobs gives them back, cleanly, and another runner runs them', async () => {
    const runner = await startRunner(database.url, runnerEnv);
    const first = await queueSlow(800);
    await waitFor(async () => {
      const [lease] = await db.select().from(runLeases).where(eq(runLeases.runId, first));
      return lease;
    }, 10_000);
    // Queued while the runner is busy: they wait in its local queue, not started.
    const waiting = await Promise.all(Array.from({ length: 6 }, () => queueSlow(10)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A second signal, as when Ctrl+C reaches the group and npm start also sends SIGTERM.
    runner.child.kill('SIGINT');
    const exitCode = await runner.stop('SIGTERM');
    expect(exitCode).toBe(0);
    const problems = runner
      .output()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
    expect(problems).toEqual([]);
    expect((await logOf(first))?.type).toBe('app.task.completed');
    const locked = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from graphile_worker._private_jobs where locked_at is not null`);
    expect(locked[0]?.n).toBe(0);

    const next = await startRunner(database.url, runnerEnv);
    try {
      for (const runId of waiting) {
        const log = await waitFor(() => logOf(runId), 15_000);
        expect(log.type).toBe('app.task.completed');
      }
    } finally {
      await next.stop();
    }
  });

  it('a job a runner took but never started is given back to the queue and then runs', async () => {
    const runId = await queueSlow(10);
    // What a runner killed right after locking (or prefetching) the job leaves behind.
    await db.execute(sql`
      update graphile_worker._private_jobs
      set locked_at = now() - interval '1 hour', locked_by = 'dead-worker', attempts = 1
      where payload->>'runId' = ${runId}`);
    process.env.RUNNER_LEASE_MS = '1500';
    const keeper = new LeaseKeeper(db, logger);
    expect(await keeper.sweep()).toBe(1);
    const [job] = await db.execute<{ locked_by: string | null; attempts: number }>(sql`
      select locked_by, attempts from graphile_worker._private_jobs
      where payload->>'runId' = ${runId}`);
    expect(job).toEqual({ locked_by: null, attempts: 0 });
    expect(await logOf(runId)).toBeUndefined();

    const runner = await startRunner(database.url, runnerEnv);
    try {
      const log = await waitFor(() => logOf(runId), 15_000);
      expect(log.type).toBe('app.task.completed');
      expect(log.data.result).toEqual({ data: { slept: 10 }, success: true });
    } finally {
      await runner.stop();
    }
  });

  it('a recorded run whose queue completion was lost is taken off the queue, not run again', async () => {
    const runId = await queueSlow(10);
    const runner = await startRunner(database.url, runnerEnv);
    const log = await waitFor(() => logOf(runId), 15_000).finally(() => runner.stop());
    // As if the runner died before its batched completion reached the queue.
    await db.execute(sql`
      select graphile_worker.add_job('run-action', payload := ${JSON.stringify({
        runId, appId: 1, actionId: slowId, masterId: slowId, version: 'master',
        mode: 'on-demand', trigger: 'manual', payload: { ms: 10 }, chainDepth: 0,
      })}::json, max_attempts := 1)`);
    await db.execute(sql`
      update graphile_worker._private_jobs
      set locked_at = now() - interval '1 hour', locked_by = 'dead-worker', attempts = 1
      where payload->>'runId' = ${runId}`);
    const keeper = new LeaseKeeper(db, logger);
    expect(await keeper.sweep()).toBe(1);
    const left = await db.execute(
      sql`select id from graphile_worker._private_jobs where payload->>'runId' = ${runId}`,
    );
    expect(left).toHaveLength(0);
    const logs = await db.select().from(actionLogs).where(eq(actionLogs.runId, runId));
    expect(logs.map((row) => row.id)).toEqual([log.id]);
  });

  it('renew() extends only the leases of runs in flight in this process', async () => {
    const keeper = new LeaseKeeper(db, logger);
    const job = (runId: string): RunJob => ({
      runId, appId: 1, actionId: slowId, masterId: slowId, version: 'master',
      mode: 'on-demand', trigger: 'manual', payload: {}, chainDepth: 0,
    });
    const [running, ended] = [crypto.randomUUID(), crypto.randomUUID()];
    expect((await keeper.takeAndLoad(job(running), '1001', null)).taken).toBe(true);
    expect((await keeper.takeAndLoad(job(ended), '1002', null)).taken).toBe(true);
    // Its run ended without a record (the database refused it): the lease must run out.
    keeper.finished(ended);
    const past = new Date(Date.now() - 1000);
    await db.update(runLeases).set({ expiresAt: past }).where(eq(runLeases.runnerId, keeper.runnerId));
    await keeper.renew();
    const leases = await db.select().from(runLeases).where(eq(runLeases.runnerId, keeper.runnerId));
    const expiry = new Map(leases.map((lease) => [lease.runId, lease.expiresAt.getTime()]));
    expect(expiry.get(running)).toBeGreaterThan(Date.now());
    expect(expiry.get(ended)).toBe(past.getTime());
    keeper.finished(running);
    await db.delete(runLeases).where(eq(runLeases.runnerId, keeper.runnerId));
  });

  it('a run whose action was removed after queueing is logged as such, once', async () => {
    const [doomed] = await db
      .insert(actions)
      .values({ appId: 1, name: 'doomed', code: 'async function execute() {}', active: true })
      .returning();
    const runId = crypto.randomUUID();
    await enqueueRun(db, {
      runId,
      appId: 1,
      actionId: doomed!.id,
      masterId: doomed!.id,
      version: 'master',
      mode: 'on-demand',
      trigger: 'manual',
      payload: {},
      chainDepth: 0,
    });
    await db.delete(actions).where(eq(actions.id, doomed!.id));
    const runner = await startRunner(database.url, runnerEnv);
    try {
      const log = await waitFor(() => logOf(runId), 15_000);
      expect(log.type).toBe('app.task.failed');
      expect(log.data.error).toMatchObject({ name: 'ActionNotFound' });
      const [lease] = await db.select().from(runLeases).where(eq(runLeases.runId, runId));
      expect(lease).toBeUndefined();
    } finally {
      await runner.stop();
    }
  });
});
