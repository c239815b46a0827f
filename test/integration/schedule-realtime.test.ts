import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDatabase, type Database } from '../../server/db/client';
import { actionLogs, actions, scheduleTicks } from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import { createTestDatabase, startRunner, type TestDatabase } from '../harness';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url);
  await seedDemo(db);
});

afterAll(async () => {
  await db.$client.end();
  await database.drop();
});

describe('schedules in real time', () => {
  it('two runners fire a published schedule exactly once for its next slot', async () => {
    // A whole minute at least 20 s away (slots that pass while the runners start are skipped)
    // and one two minutes later: a valid schedule (not every minute), first slot ≤ 80 s away.
    const now = new Date();
    const minute = now.getUTCMinutes() + (now.getUTCSeconds() > 40 ? 2 : 1);
    const frequency = `${minute % 60},${(minute + 2) % 60} * * * *`;
    const fields = {
      appId: 1,
      name: 'tick',
      code: 'async function execute(context) { return Object.keys(context.payload).length; }',
      active: true,
      triggers: [{ trigger: 'schedule' }],
      frequency,
      timezone: 'UTC',
    };
    const [master] = await db.insert(actions).values(fields).returning();
    await db.insert(actions).values({ ...fields, masterId: master!.id });

    const runners = await Promise.all([startRunner(database.url), startRunner(database.url)]);
    try {
      const deadline = Date.now() + 95_000;
      let logs: (typeof actionLogs.$inferSelect)[] = [];
      while (Date.now() < deadline && logs.length === 0) {
        logs = await db.select().from(actionLogs).where(eq(actionLogs.masterId, master!.id));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      // Give a second runner time to (wrongly) run the same slot before counting.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      logs = await db.select().from(actionLogs).where(eq(actionLogs.masterId, master!.id));
      expect(logs).toHaveLength(1);
      expect(logs[0]?.type).toBe('app.task.completed');
      expect(logs[0]?.version).toBe('production');
      expect(logs[0]?.data).toMatchObject({ mode: 'scheduled', runOn: 'server', payload: {} });
      expect(logs[0]?.data.result).toBeUndefined();
      const ticks = await db.select().from(scheduleTicks).where(eq(scheduleTicks.masterId, master!.id));
      expect(ticks).toHaveLength(1);
      expect(ticks[0]?.slot.getUTCSeconds()).toBe(0);
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }
  }, 115_000);
});
