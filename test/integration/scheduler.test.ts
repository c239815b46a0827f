import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Database } from '../../server/db/client';
import { actions, scheduleTicks } from '../../server/db/schema';
import { logger } from '../../server/log';
import { Scheduler } from '../../server/triggers/scheduler';
import { createSeededTestDatabase, type SeededTestDatabase } from '../harness';

let database: SeededTestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createSeededTestDatabase();
  db = database.db;
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(async () => {
  await db.execute(sql`delete from graphile_worker._private_jobs`);
  await db.delete(scheduleTicks).where(sql`true`);
  await db.delete(actions).where(sql`${actions.frequency} is not null`);
});

async function publishScheduled(frequency: string, timezone: string | null, active = true) {
  const fields = {
    appId: 1,
    name: `every-${Math.random().toString(36).slice(2, 8)}`,
    code: 'async function execute() { return 1; }',
    active,
    environment: 'server',
    triggers: [{ trigger: 'schedule' }],
    frequency,
    timezone,
  };
  const [master] = await db.insert(actions).values(fields).returning();
  const [production] = await db
    .insert(actions)
    .values({ ...fields, masterId: master!.id })
    .returning();
  return production!;
}

async function queuedJobs() {
  const rows = await db.execute<{ payload: { scheduledFor: string; mode: string; payload: object } }>(
    sql`select payload from graphile_worker._private_jobs order by id`,
  );
  return rows.map((row) => row.payload);
}

function clock(start: string) {
  let now = new Date(start);
  return { now: () => now, set: (iso: string) => (now = new Date(iso)) };
}

const quiet = logger.child({ test: 'scheduler' });

describe('Scheduler', () => {
  it('queues one production run per slot, with an empty payload and mode scheduled', async () => {
    await publishScheduled('*/5 * * * *', 'UTC');
    const time = clock('2026-01-05T10:04:59.000Z');
    const scheduler = new Scheduler({ db, logger: quiet, now: time.now });
    expect(await scheduler.tick()).toBe(0);
    time.set('2026-01-05T10:05:00.200Z');
    expect(await scheduler.tick()).toBe(1);
    expect(await scheduler.tick()).toBe(0);
    const [job] = await queuedJobs();
    expect(job).toMatchObject({
      mode: 'scheduled',
      payload: {},
      version: 'production',
      scheduledFor: '2026-01-05T10:05:00.000Z',
    });
  });

  it('lets only one of several runners queue a slot', async () => {
    await publishScheduled('0 * * * *', 'UTC');
    const time = clock('2026-01-05T09:59:00.000Z');
    const runners = [1, 2, 3].map(() => new Scheduler({ db, logger: quiet, now: time.now }));
    for (const r of runners) await r.tick();
    time.set('2026-01-05T10:00:00.010Z');
    const queued = await Promise.all(runners.map((r) => r.tick()));
    expect(queued.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await queuedJobs()).toHaveLength(1);
  });

  it('never fires a slot early, even when woken a millisecond before it (C16)', async () => {
    await publishScheduled('45 8,13 * * *', 'UTC');
    const time = clock('2024-01-01T08:44:00.000Z');
    const scheduler = new Scheduler({ db, logger: quiet, now: time.now });
    await scheduler.tick();
    time.set('2024-01-01T08:44:59.999Z');
    expect(await scheduler.tick()).toBe(0);
    time.set('2024-01-01T08:45:00.000Z');
    expect(await scheduler.tick()).toBe(1);
    time.set('2024-01-01T08:45:00.001Z');
    expect(await scheduler.tick()).toBe(0);
    const jobs = await queuedJobs();
    expect(jobs.map((j) => j.scheduledFor)).toEqual(['2024-01-01T08:45:00.000Z']);
  });

  it('does not catch up slots missed while no runner was up', async () => {
    await publishScheduled('*/5 * * * *', 'UTC');
    const time = clock('2026-01-05T10:01:00.000Z');
    const scheduler = new Scheduler({ db, logger: quiet, now: time.now });
    await scheduler.tick();
    time.set('2026-01-05T10:30:10.000Z');
    expect(await scheduler.tick()).toBe(1);
    expect((await queuedJobs()).map((j) => j.scheduledFor)).toEqual(['2026-01-05T10:30:00.000Z']);
  });

  it('computes slots in the action timezone, not the host one', async () => {
    await publishScheduled('0 8 * * *', 'America/New_York');
    const time = clock('2026-01-05T12:00:00.000Z');
    const scheduler = new Scheduler({ db, logger: quiet, now: time.now });
    await scheduler.tick();
    time.set('2026-01-05T13:00:00.500Z');
    expect(await scheduler.tick()).toBe(1);
  });

  it('ignores inactive and unpublished actions', async () => {
    await publishScheduled('*/5 * * * *', 'UTC', false);
    await db.insert(actions).values({
      appId: 1,
      name: 'draft-only',
      code: 'async function execute() {}',
      active: true,
      triggers: [{ trigger: 'schedule' }],
      frequency: '*/5 * * * *',
    });
    const time = clock('2026-01-05T10:04:00.000Z');
    const scheduler = new Scheduler({ db, logger: quiet, now: time.now });
    await scheduler.tick();
    time.set('2026-01-05T10:05:00.100Z');
    expect(await scheduler.tick()).toBe(0);
  });
});
