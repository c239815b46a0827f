import { sql } from 'drizzle-orm';

import type { Db } from '../db/client';

/** Largest queue priority given; graphile-worker's priority is a smallint. */
const LOWEST_PRIORITY = 30;

/**
 * The queue priority for `count` new runs of an app: 0 for an app that queued little in the
 * current 10-second window, growing with the logarithm of its recent count. The queue serves
 * lower numbers first, so a quiet app's run overtakes the backlog of an app flooding the queue,
 * while the flooding app's own runs keep their order within a window.
 */
export async function queuePriority(db: Db, appId: number, count: number): Promise<number> {
  const [row] = await db.execute<{ queued: number }>(sql`
    insert into queue_pressure (app_id, window_start, queued)
    values (${appId}, date_bin('10 seconds', now(), timestamptz '2000-01-01'), ${count})
    on conflict (app_id, window_start)
      do update set queued = queue_pressure.queued + excluded.queued
    returning queued`);
  const queued = Number(row?.queued ?? count);
  return Math.min(Math.floor(Math.log2(Math.max(queued, 1))), LOWEST_PRIORITY);
}

/** Forgets windows older than ten minutes; any runner may call it now and then. */
export async function prunePressure(db: Db): Promise<void> {
  await db.execute(sql`delete from queue_pressure where window_start < now() - interval '10 minutes'`);
}
