import { randomUUID } from 'node:crypto';

import { and, eq, isNull } from 'drizzle-orm';

import { findActionRow, findProductionRow, V3 } from '../actions/service';
import type { ActionRow } from '../actions/shape';
import type { Database, Db } from '../db/client';
import { actions } from '../db/schema';
import { env } from '../env';
import { AppError, isAppError, type ErrorStatus } from '../errors';
import { textFault } from '../json-shape';
import { enqueueRun, type RunJob, type RunVersion } from './job';
import { findRunLog, RUN_COMPLETED } from './logs';
import { checkPayload } from './payload';
import type { RunWaiter } from './waiter';

/** Which action to run: by name or id and version, or its row as already looked up. */
type RunTarget =
  | { nameOrId: string | number; version: RunVersion }
  | { runnable: Promise<ActionRow> };

export type RunRequest = RunTarget & { appId: number; payload: unknown };

/** Margin over the sandbox limit for queueing and writing the log before a wait gives up. */
const WAIT_MARGIN_MS = 15_000;

/** Checks that the action may run on demand and builds its job. */
async function onDemandJob(db: Db, request: RunRequest): Promise<RunJob> {
  const payload = checkPayload(request.payload, env().ACTIONS_MAX_PAYLOAD_BYTES);
  const row = await ('runnable' in request
    ? request.runnable
    : resolveRunnable(db, request.appId, request.nameOrId, request.version));
  return {
    runId: randomUUID(),
    appId: request.appId,
    actionId: row.id,
    masterId: row.masterId ?? row.id,
    // A production row points at its master; a master row points nowhere.
    version: row.masterId === null ? 'master' : 'production',
    mode: 'on-demand',
    trigger: 'manual',
    payload,
    chainDepth: 0,
  };
}

/** Queues an on-demand run; answers as soon as it is queued. */
export async function queueRun(db: Db, request: RunRequest): Promise<RunJob> {
  const job = await onDemandJob(db, request);
  await enqueueRun(db, job);
  return job;
}

/** Runs an action and waits for its result: the return value of `execute()`. */
export async function runWithResult(db: Database, waiter: RunWaiter, request: RunRequest) {
  const job = await onDemandJob(db, request);
  const { runId } = job;
  const wait = await waiter.prepare(runId, env().ACTIONS_SERVER_TIMEOUT_MS + WAIT_MARGIN_MS);
  await enqueueRun(db, job);
  const finished = await wait();
  // Small results come with the notification; otherwise, or if the notification was lost
  // (for example a dropped LISTEN connection), the stored log row has them.
  const log =
    typeof finished === 'object' && finished.data !== undefined
      ? { id: finished.id, type: finished.type, data: finished.data }
      : await findRunLog(db, runId);
  if (!log) {
    throw new AppError(
      'EXECUTION_TIMEOUT',
      finished
        ? 'The run finished but its log could not be read'
        : 'No runner finished the run in time; is a runner process running?',
      { details: { runId } },
    );
  }
  const data = log.data as { result?: { data?: unknown }; error?: Record<string, unknown> };
  if (log.type !== RUN_COMPLETED) {
    const error = data.error ?? {};
    throw new AppError(
      failureStatus(error.name),
      typeof error.message === 'string' ? error.message : 'The action failed',
      { details: { runId, logId: log.id, errorDetails: error } },
    );
  }
  return { runId, logId: log.id, result: data.result?.data ?? null };
}

/** The runner names the failures it imposes; the action's own errors are EXECUTION_FAILED. */
function failureStatus(name: unknown): ErrorStatus {
  if (name === 'TimeoutError') return 'EXECUTION_TIMEOUT';
  // The run itself succeeded; only its value is over the 6 MB a caller can receive.
  if (name === 'ResultTooLargeError') return 'RESULT_TOO_LARGE';
  return 'EXECUTION_FAILED';
}

/** The row to run for an on-demand call, after every rule that can refuse it. */
export async function resolveRunnable(
  db: Db,
  appId: number,
  nameOrId: string | number,
  version: RunVersion,
): Promise<ActionRow> {
  const master = await findMaster(db, appId, nameOrId);
  const row = version === 'master' ? master : await findProductionRow(db, master.id);
  if (!row) {
    throw new AppError(
      'ACTION_NOT_PUBLISHED',
      `Action "${master.name}" has no production version; publish it or run version=master`,
    );
  }
  if (!row.active) {
    throw new AppError('ACTION_INACTIVE', `Action "${row.name}" is inactive; set active: true`);
  }
  if (row.environment === 'client') {
    throw new AppError(
      'CLIENT_ACTION_NOT_RUNNABLE',
      `Action "${row.name}" runs only in the browser (environment "client")`,
    );
  }
  if (!row.triggers.some(({ trigger }) => trigger === 'manual')) {
    throw new AppError(
      'ACTION_NOT_RUNNABLE',
      `Action "${row.name}" has no manual trigger, so it cannot be run on demand`,
    );
  }
  return row;
}

async function findMaster(db: Db, appId: number, nameOrId: string | number): Promise<ActionRow> {
  const id = typeof nameOrId === 'number' ? nameOrId : /^\d+$/.test(nameOrId) ? Number(nameOrId) : null;
  if (id !== null) {
    const row = await findActionRow(db, appId, id).catch((error: unknown) => {
      // Names may be all digits ("2024"); in a URL they look like ids, so try the name next.
      const missing = isAppError(error) && error.status === 'ACTION_NOT_FOUND';
      if (missing && typeof nameOrId === 'string') return null;
      throw error;
    });
    if (row) return row.masterId === null ? row : findActionRow(db, appId, row.masterId);
  }
  const name = String(nameOrId);
  // No action is named with text Postgres cannot hold, and asking it would fail the query.
  const [row] = textFault(name)
    ? []
    : await db
        .select()
        .from(actions)
        .where(and(eq(actions.appId, appId), eq(actions.name, name), isNull(actions.masterId)));
  if (!row) {
    const what = id === null ? 'named' : 'with id or name';
    throw new AppError('ACTION_NOT_FOUND', `No action ${what} "${nameOrId}"`);
  }
  if (row.actionVersion !== V3) {
    throw new AppError('ACTION_NOT_V3', `Action "${nameOrId}" is a legacy action`);
  }
  return row;
}
