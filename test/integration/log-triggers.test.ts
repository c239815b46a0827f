import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createDatabase, type Database } from '../../server/db/client';
import { actionLogs, actions, apps } from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import {
  createDataSource,
  insertEntry,
  updateEntry,
} from '../../server/platform/datasources/service';
import { MAX_LOG_CHAIN_DEPTH } from '../../server/triggers/log-triggers';
import { createTestDatabase, startRunner, type TestDatabase } from '../harness';

let database: TestDatabase;
let db: Database;
let bookingsId: number;
let otherSourceId: number;
let otherAppId: number;

const demo = { appId: 1, organizationId: 1 };

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url);
  await seedDemo(db);
  const [bookings] = await db.execute<{ id: number }>(
    sql`select id from data_sources where app_id = 1 and name = 'Bookings'`,
  );
  bookingsId = Number(bookings!.id);
  otherSourceId = (await createDataSource(db, demo, { name: 'Rooms' })).id;
  const [other] = await db.insert(apps).values({ organizationId: 1, name: 'Other' }).returning();
  otherAppId = other!.id;
});

afterAll(async () => {
  await db.$client.end();
  await database.drop();
});

beforeEach(async () => {
  await db.execute(sql`delete from graphile_worker._private_jobs`);
  await db.delete(actions).where(sql`${actions.name} like 'on-%'`);
});

/** A published, active action with one log trigger; returns its production row id. */
async function publishLogAction(name: string, where: Record<string, unknown>, code?: string) {
  const fields = {
    appId: 1,
    name,
    code: code ?? 'async function execute(context) { return context.payload.log.type; }',
    active: true,
    environment: 'server',
    triggers: [{ trigger: 'log', where }],
    dependencies: code ? ['fliplet-datasources'] : [],
  };
  const [master] = await db.insert(actions).values(fields).returning();
  const [production] = await db
    .insert(actions)
    .values({ ...fields, masterId: master!.id })
    .returning();
  return { masterId: master!.id, productionId: production!.id };
}

interface QueuedRun {
  actionId: number;
  payload: { trigger: string; log: Record<string, unknown> };
}

async function queuedPayloads(): Promise<QueuedRun[]> {
  const rows = await db.execute<{ payload: QueuedRun }>(
    sql`select payload from graphile_worker._private_jobs order by id`,
  );
  return rows.map((row) => row.payload);
}

describe('log triggers', () => {
  it('a matching event of the same app queues the production version with the log entry', async () => {
    const { productionId } = await publishLogAction('on-create', {
      type: 'dataSource.entry.create',
      dataSourceId: bookingsId,
    });
    const entry = await insertEntry(db, demo, bookingsId, { Name: 'Ada' });
    const [job, ...rest] = await queuedPayloads();
    expect(rest).toHaveLength(0);
    expect(job).toMatchObject({
      actionId: productionId,
      version: 'production',
      mode: 'on-demand',
      trigger: 'log',
      chainDepth: 1,
      payload: {
        trigger: 'log',
        log: {
          type: 'dataSource.entry.create',
          appId: 1,
          organizationId: 1,
          dataSourceId: bookingsId,
          dataSourceEntryId: entry.id,
        },
      },
    });
    const log = job?.payload.log ?? {};
    expect(typeof log.dataString).toBe('string');
    expect(JSON.parse(String(log.dataString))).toEqual(log.data);
  });

  it('does not fire for another event type', async () => {
    await publishLogAction('on-update-only', {
      type: 'dataSource.entry.update',
      dataSourceId: bookingsId,
    });
    await insertEntry(db, demo, bookingsId, { Name: 'x' });
    expect(await queuedPayloads()).toHaveLength(0);
  });

  it('does not fire for another data source', async () => {
    await publishLogAction('on-rooms', {
      type: 'dataSource.entry.create',
      dataSourceId: otherSourceId,
    });
    await insertEntry(db, demo, bookingsId, { Name: 'x' });
    expect(await queuedPayloads()).toHaveLength(0);
  });

  it("does not fire for another app's events, even with the same type", async () => {
    await publishLogAction('on-any-create', { type: 'dataSource.entry.create' });
    const source = await createDataSource(db, { appId: otherAppId }, { name: 'Elsewhere' });
    await insertEntry(db, { appId: otherAppId, organizationId: 1 }, source.id, { Name: 'y' });
    expect(await queuedPayloads()).toHaveLength(0);
  });

  it('fires on update when the trigger asks for updates, with no data source filter', async () => {
    await publishLogAction('on-update', { type: 'dataSource.entry.update' });
    const entry = await insertEntry(db, demo, bookingsId, { Name: 'Before' });
    expect(await queuedPayloads()).toHaveLength(0);
    await updateEntry(db, demo, bookingsId, entry.id, { Name: 'After' });
    expect(await queuedPayloads()).toHaveLength(1);
  });

  it('ignores unpublished and inactive actions', async () => {
    const { productionId } = await publishLogAction('on-off', {
      type: 'dataSource.entry.create',
    });
    await db.update(actions).set({ active: false }).where(eq(actions.id, productionId));
    await db.insert(actions).values({
      appId: 1,
      name: 'on-draft',
      code: 'async function execute() {}',
      active: true,
      triggers: [{ trigger: 'log', where: { type: 'dataSource.entry.create' } }],
    });
    await insertEntry(db, demo, bookingsId, { Name: 'z' });
    expect(await queuedPayloads()).toHaveLength(0);
  });

  it('a rolled back write queues nothing', async () => {
    await publishLogAction('on-rollback', { type: 'dataSource.entry.create' });
    await expect(
      db.transaction(async (tx) => {
        await insertEntry(tx, demo, bookingsId, { Name: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await queuedPayloads()).toHaveLength(0);
  });

  it('stops an action that triggers itself at the chain depth limit, with a clear log', async () => {
    const { masterId } = await publishLogAction(
      'on-self',
      { type: 'dataSource.entry.create', dataSourceId: bookingsId },
      `async function execute(context) {
  const bookings = await Fliplet.DataSources.connect(context.payload.log.dataSourceId);
  await bookings.insert({ Name: 'echo' });
  return 'wrote one';
}`,
    );
    const runner = await startRunner(database.url);
    try {
      await insertEntry(db, demo, bookingsId, { Name: 'first' });
      const deadline = Date.now() + 20_000;
      let failed: (typeof actionLogs.$inferSelect)[] = [];
      while (Date.now() < deadline && failed.length === 0) {
        failed = await db
          .select()
          .from(actionLogs)
          .where(and(eq(actionLogs.type, 'app.task.failed'), eq(actionLogs.masterId, masterId)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(failed).toHaveLength(1);
      expect(failed[0]?.data.error).toMatchObject({ name: 'ChainDepthExceeded' });
      const completed = await db
        .select()
        .from(actionLogs)
        .where(and(eq(actionLogs.type, 'app.task.completed'), eq(actionLogs.masterId, masterId)));
      expect(completed).toHaveLength(MAX_LOG_CHAIN_DEPTH);
    } finally {
      await runner.stop();
    }
  });
});
