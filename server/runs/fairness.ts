import { sql, type SQL } from 'drizzle-orm';

import type { Db } from '../db/client';

/** Largest queue priority given; graphile-worker's priority is a smallint. */
const LOWEST_PRIORITY = 30;

/**
 * Wraps a statement that queues `count` runs of an app so that it gets their queue priority:
 * 0 for an app that queued little in the current 10-second window, growing with the logarithm
 * of its recent count. The queue serves lower numbers first, so a quiet app's run overtakes the
 * backlog of an app flooding the queue, while the flooding app's own runs keep their order
 * within a window. Counting and queueing travel to the database as one statement.
 */
export function withQueuePriority(
  appId: number,
  count: number,
  statement: (priority: SQL) => SQL,
): SQL {
  const priority = sql`(select least(floor(log(2, greatest(queued, 1))), ${LOWEST_PRIORITY})::int
    from counted)`;
  return sql`
    with counted as (
      insert into queue_pressure (app_id, window_start, queued)
      values (${appId}, date_bin('10 seconds', now(), timestamptz '2000-01-01'), ${count})
      on conflict (app_id, window_start)
        do update set queued = queue_pressure.queued + excluded.queued
      returning queued
    )
    ${statement(priority)}`;
}

/** Forgets windows older than ten minutes; any runner may call it now and then. */
export async function prunePressure(db: Db): Promise<void> {
  await db.execute(sql`delete from queue_pressure where window_start < now() - interval '10 minutes'`);
}
