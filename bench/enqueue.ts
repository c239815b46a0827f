import { sql } from 'drizzle-orm';

import type { Database } from '../server/db/client';
import { RUN_ACTION_TASK } from '../server/runs/job';

/** Queues `count` runs of one master action in one statement, as a burst of callers would. */
export async function enqueueRunBatch(db: Database, actionId: number, count: number) {
  await db.execute(sql`
    select graphile_worker.add_jobs(array(
      select row(
        ${RUN_ACTION_TASK}, json_build_object(
          'runId', gen_random_uuid(), 'appId', 1, 'actionId', ${actionId}::int,
          'masterId', ${actionId}::int, 'version', 'master', 'mode', 'on-demand',
          'trigger', 'manual', 'payload', json_build_object('n', i), 'chainDepth', 0),
        null, null, 1, null, null, null
      )::graphile_worker.job_spec
      from generate_series(1, ${count}) as i
    ))`);
}
