import { randomUUID } from 'node:crypto';

import { and, eq } from 'drizzle-orm';

import { findProductionRow, V3 } from '../actions/service';
import type { ActionRow } from '../actions/shape';
import type { Database, Db } from '../db/client';
import { actions, codeVersions } from '../db/schema';
import { env } from '../env';
import { AppError } from '../errors';
import { enqueueRun, type RunJob } from './job';
import { findRunLog, getRunLogRow, type RunLogRow } from './logs';
import { checkPayload } from './payload';
import type { RunWaiter } from './waiter';

/**
 * Re-running a logged run from the log explorer: the same payload, on the exact code version
 * that ran (by its hash) or on the action's current master. A re-run is an on-demand run
 * queued like any other, and its log row points back at the original through `rerun_of`.
 */

export const rerunTargets = ['same-version', 'master'] as const;
export type RerunTarget = (typeof rerunTargets)[number];

export interface RerunRequest {
  appId: number;
  logId: number;
  on: RerunTarget;
}

/** Margin over the sandbox limit for queueing and logging before a wait gives up. */
const WAIT_MARGIN_MS = 15_000;

/** Checks that the logged run may run again and builds its job. */
export async function rerunJob(db: Db, request: RerunRequest): Promise<RunJob> {
  const original = await getRunLogRow(db, request.appId, request.logId);
  const master = await runnableMaster(db, request.appId, original);
  const target =
    request.on === 'master'
      ? { actionId: master.id, version: 'master' as const }
      : await sameVersionTarget(db, original, master);
  return {
    runId: randomUUID(),
    appId: request.appId,
    masterId: master.id,
    ...target,
    mode: 'on-demand',
    trigger: 'manual',
    // The payload exactly as the original run received it (`{}` for scheduled runs).
    payload: checkPayload(original.data.payload, env().ACTIONS_MAX_PAYLOAD_BYTES),
    chainDepth: 0,
    rerunOf: original.id,
  };
}

/**
 * The rules of any on-demand run, except the manual trigger: support staff re-run scheduled
 * and log-triggered runs too, which an action without a manual trigger could not take.
 */
async function runnableMaster(db: Db, appId: number, original: RunLogRow): Promise<ActionRow> {
  const [master] = await db
    .select()
    .from(actions)
    .where(and(eq(actions.id, original.masterId), eq(actions.appId, appId)));
  if (!master) {
    throw new AppError(
      'ACTION_NOT_FOUND',
      `The action of run #${original.id} was removed, so the run cannot be repeated`,
    );
  }
  if (master.actionVersion !== V3) {
    throw new AppError('ACTION_NOT_V3', `Action "${master.name}" is a legacy action`);
  }
  if (!master.active) {
    throw new AppError(
      'ACTION_INACTIVE',
      `Action "${master.name}" is inactive; set active: true before re-running its runs`,
    );
  }
  if (master.environment === 'client') {
    throw new AppError(
      'CLIENT_ACTION_NOT_RUNNABLE',
      `Action "${master.name}" runs only in the browser (environment "client"); ` +
        'the server cannot re-run it',
    );
  }
  return master;
}

/**
 * The row that ran decides where the exact version runs: a production run needs the action to
 * still be published (and active there), a master run runs as the master.
 */
async function sameVersionTarget(db: Db, original: RunLogRow, master: ActionRow) {
  const codeHash = await storedCodeHash(db, original);
  if (original.version !== 'production') {
    return { actionId: master.id, version: 'master' as const, codeHash };
  }
  const production = await findProductionRow(db, master.id);
  if (!production) {
    throw new AppError(
      'ACTION_NOT_PUBLISHED',
      `Run #${original.id} ran the production version of "${master.name}", which is no longer ` +
        'published; publish the action or re-run on the current master',
    );
  }
  if (!production.active) {
    throw new AppError(
      'ACTION_INACTIVE',
      `The production version of "${master.name}" is inactive; publish the active master first`,
    );
  }
  return { actionId: production.id, version: 'production' as const, codeHash };
}

async function storedCodeHash(db: Db, original: RunLogRow): Promise<string> {
  const [stored] = original.codeHash
    ? await db
        .select({ hash: codeVersions.hash })
        .from(codeVersions)
        .where(eq(codeVersions.hash, original.codeHash))
    : [];
  if (!stored) {
    throw new AppError(
      'NOT_FOUND',
      `Run #${original.id} has no recorded code version (it was refused before it ran, or ` +
        'its runner stopped before recording it); re-run it on the current master instead',
    );
  }
  return stored.hash;
}

/** Queues the re-run; answers with its run id as soon as it is queued. */
export async function queueRerun(db: Db, request: RerunRequest): Promise<RunJob> {
  const job = await rerunJob(db, request);
  await enqueueRun(db, job);
  return job;
}

/**
 * Queues the re-run and waits for its log row, failed or not: the explorer shows either. The
 * row is null when no runner finished the run in time; it will still appear in the log.
 */
export async function rerunAndWait(db: Database, waiter: RunWaiter, request: RerunRequest) {
  const job = await rerunJob(db, request);
  const wait = await waiter.prepare(job.runId, env().ACTIONS_SERVER_TIMEOUT_MS + WAIT_MARGIN_MS);
  await enqueueRun(db, job);
  const finished = await wait();
  if (typeof finished === 'object') return { runId: job.runId, logId: finished.id };
  // Read even after a timeout: a lost notification must not hide a finished run.
  const log = await findRunLog(db, job.runId);
  return { runId: job.runId, logId: log?.id ?? null };
}
