import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Database } from '../../server/db/client';
import { actionLogs, actions, apps } from '../../server/db/schema';
import { enqueueRun } from '../../server/runs/job';
import { createSeededTestDatabase, startRunner, type SeededTestDatabase } from '../harness';

let database: SeededTestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createSeededTestDatabase();
  db = database.db;
});

afterAll(async () => {
  await database?.drop();
});

async function quickAction(appId: number, name: string): Promise<number> {
  const [row] = await db
    .insert(actions)
    .values({
      appId,
      name,
      code: 'async function execute() { return 1; }',
      active: true,
      triggers: [{ trigger: 'manual' }],
    })
    .returning();
  return row!.id;
}

function job(appId: number, actionId: number) {
  return {
    runId: crypto.randomUUID(),
    appId,
    actionId,
    masterId: actionId,
    version: 'master' as const,
    mode: 'on-demand' as const,
    trigger: 'manual' as const,
    payload: {},
    chainDepth: 0,
  };
}

describe('queue fairness', () => {
  it("one app's flood of runs does not starve another app's run", async () => {
    const [other] = await db.insert(apps).values({ organizationId: 1, name: 'Other' }).returning();
    const flooder = await quickAction(1, 'flood');
    const quiet = await quickAction(other!.id, 'quiet');
    for (let i = 0; i < 200; i += 1) await enqueueRun(db, job(1, flooder));
    const quietRun = job(other!.id, quiet);
    await enqueueRun(db, quietRun);

    const runner = await startRunner(database.url, { RUNNER_CONCURRENCY: '1' });
    try {
      const deadline = Date.now() + 30_000;
      let order: string[] = [];
      while (Date.now() < deadline) {
        order = (await db.select({ runId: actionLogs.runId }).from(actionLogs)
          .orderBy(asc(actionLogs.id))).map((row) => row.runId);
        if (order.includes(quietRun.runId)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const position = order.indexOf(quietRun.runId);
      expect(position).toBeGreaterThanOrEqual(0);
      // Queued last, behind 200 runs of the flooding app, it runs among the first few.
      expect(position).toBeLessThan(5);
      const [log] = await db.select().from(actionLogs).where(eq(actionLogs.runId, quietRun.runId));
      expect(log?.type).toBe('app.task.completed');
    } finally {
      await runner.stop();
    }
  });
});
