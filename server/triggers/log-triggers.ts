import { randomUUID } from 'node:crypto';

import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';

import type { Db } from '../db/client';
import { actions } from '../db/schema';
import type { AppLogEntry, AppLogOrigin } from '../platform/app-log';
import { recordRun } from '../runs/record';
import { enqueueRun, type RunJob } from '../runs/job';

/**
 * How many log-triggered runs may follow one another (a run writes an entry that triggers a run
 * that writes …). Past it, the next run is not queued and a failed run log explains why.
 */
export const MAX_LOG_CHAIN_DEPTH = 5;

type ActionRow = typeof actions.$inferSelect;

/** Does a log trigger's `where` match this event? `type` always, `dataSourceId` when given. */
export function logTriggerMatches(where: Record<string, unknown> | undefined, entry: AppLogEntry) {
  if (!where || where.type !== entry.type) return false;
  return where.dataSourceId === undefined || where.dataSourceId === entry.dataSourceId;
}

/**
 * Queues a run of every active, published action of the event's app whose log trigger matches,
 * in the caller's transaction: the runs exist exactly when the events committed.
 */
export async function queueLogTriggeredRuns(
  tx: Db,
  events: readonly { entry: AppLogEntry; origin?: AppLogOrigin }[],
): Promise<number> {
  const appIds = [...new Set(events.map(({ entry }) => entry.appId))];
  if (appIds.length === 0) return 0;
  const candidates = await tx
    .select()
    .from(actions)
    .where(
      and(
        inArray(actions.appId, appIds),
        isNotNull(actions.masterId),
        eq(actions.active, true),
        inArray(actions.environment, ['server', 'any']),
        sql`${actions.triggers} @> '[{"trigger":"log"}]'::jsonb`,
      ),
    );
  let queued = 0;
  for (const { entry, origin } of events) {
    const depth = (origin?.chainDepth ?? 0) + 1;
    for (const action of candidates) {
      if (action.appId !== entry.appId) continue;
      const matches = action.triggers.some(
        (t) => t.trigger === 'log' && logTriggerMatches(t.where, entry),
      );
      if (!matches) continue;
      await queueOne(tx, action, entry, depth);
      queued += 1;
    }
  }
  return queued;
}

async function queueOne(tx: Db, action: ActionRow, entry: AppLogEntry, depth: number) {
  const job: RunJob = {
    runId: randomUUID(),
    appId: action.appId,
    actionId: action.id,
    masterId: action.masterId ?? action.id,
    version: 'production',
    mode: 'on-demand',
    trigger: 'log',
    payload: { trigger: 'log', log: entry },
    chainDepth: depth,
  };
  if (depth <= MAX_LOG_CHAIN_DEPTH) {
    await enqueueRun(tx, job);
    return;
  }
  const message =
    `Not run: this event came from a chain of ${depth - 1} log-triggered runs, and the limit ` +
    `is ${MAX_LOG_CHAIN_DEPTH}. An action that writes to the data source that triggers it ` +
    'would otherwise run forever.';
  await recordRun(tx, job, '', {
    ok: false,
    error: { name: 'ChainDepthExceeded', message, stack: `ChainDepthExceeded: ${message}` },
    console: [],
    durationMs: 0,
  });
}
