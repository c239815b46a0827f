import { DrizzleQueryError, eq, sql, type Placeholder } from 'drizzle-orm';

import type { Database, Db } from '../db/client';
import { actionLogs, runLeases } from '../db/schema';
import type { SandboxOutcome } from '../runner/sandbox/types';
import { RUN_FINISHED_CHANNEL, type RunJob } from './job';
import { RUN_COMPLETED, RUN_FAILED } from './logs';
import { storableRunLog } from './storable';

/** Run data up to this size (bytes of JSON) travels in the finished-run notification. */
const NOTIFIED_DATA_MAX_BYTES = 6000;

/** The run log entry's `data`, in the public shape. */
export function runLogData(job: RunJob, actionId: number, outcome: SandboxOutcome) {
  const base = {
    mode: job.mode,
    runOn: 'server',
    taskId: actionId,
    payload: job.payload,
    duration: outcome.durationMs,
    actionVersion: 'v3',
  };
  if (outcome.ok) {
    // Scheduled runs keep no result: nobody is waiting for it.
    return job.mode === 'scheduled'
      ? base
      : { ...base, result: { data: outcome.result ?? null, success: true } };
  }
  return {
    ...base,
    error: outcome.error,
    result: { error: outcome.error, success: false, errorObject: {} },
  };
}

/** What one record statement writes, by placeholder name. */
type RecordValues = Required<
  Pick<
    typeof actionLogs.$inferInsert,
    'appId' | 'masterId' | 'runId' | 'type' | 'data' | 'version' | 'codeHash' | 'console' | 'rerunOf'
  >
>;

type Placeholders = { [K in keyof RecordValues]: Placeholder<K> };

/**
 * Writes the run log (which is also where `lastRunAt` comes from), ends the run's lease and wakes
 * any waiter (runs/waiter.ts), in one statement, so it is atomic without a transaction's extra round trips.
 * The first record of a run wins: a runner that comes back after its lease was given up (and
 * the run recorded as lost) cannot log the same run twice. A re-run's row points back at the
 * run it repeats from the start, so nobody woken by it can read it without the link.
 */
export async function recordRun(db: Db, job: RunJob, codeHash: string, outcome: SandboxOutcome) {
  // Results, console lines and errors may hold text jsonb refuses (NUL, lone surrogates).
  const stored = storableRunLog(
    runLogData(job, job.actionId, outcome),
    outcome.console,
    outcome.durationMs,
  );
  const values: RecordValues = {
    appId: job.appId,
    masterId: job.masterId,
    runId: job.runId,
    type: outcome.ok ? RUN_COMPLETED : RUN_FAILED,
    data: stored.data,
    version: job.version,
    codeHash,
    console: stored.console,
    rerunOf: job.rerunOf ?? null,
  };
  if (!('$client' in db)) {
    await recordStatement(db, values);
    return;
  }
  // Outside a transaction (every run's own record) the statement is prepared once per pool, as
  // the lease's is (runner/leases.ts): building it with drizzle each time cost ≈ 0.2 ms of CPU.
  let statement = prepared.get(db);
  if (!statement) {
    statement = prepareRecord(db);
    prepared.set(db, statement);
  }
  await statement.execute(values);
}

const placeholders: Placeholders = {
  appId: sql.placeholder('appId'),
  masterId: sql.placeholder('masterId'),
  runId: sql.placeholder('runId'),
  type: sql.placeholder('type'),
  data: sql.placeholder('data'),
  version: sql.placeholder('version'),
  codeHash: sql.placeholder('codeHash'),
  console: sql.placeholder('console'),
  rerunOf: sql.placeholder('rerunOf'),
};

function recordStatement(db: Db, values: RecordValues | Placeholders) {
  const logged = db.$with('logged').as(
    db
      .insert(actionLogs)
      .values(values)
      .onConflictDoNothing({ target: actionLogs.runId })
      .returning({
        id: actionLogs.id,
        runId: actionLogs.runId,
        type: actionLogs.type,
        data: actionLogs.data,
      }),
  );
  const released = db.$with('released').as(
    db
      .delete(runLeases)
      .where(eq(runLeases.runId, values.runId))
      .returning({ runId: runLeases.runId }),
  );
  // A notification carries at most 8000 bytes; larger data is read from the row by the waiter.
  const notice = sql`pg_notify(${RUN_FINISHED_CHANNEL}, json_build_object(
    'runId', ${logged.runId}::text, 'id', ${logged.id}, 'type', ${logged.type},
    'data', case when octet_length(${logged.data}::text) <= ${NOTIFIED_DATA_MAX_BYTES}
      then ${logged.data} end)::text)`;
  return db.with(logged, released).select({ notice }).from(logged);
}

function prepareRecord(db: Database) {
  return recordStatement(db, placeholders).prepare('record_run');
}

const prepared = new WeakMap<Database, ReturnType<typeof prepareRecord>>();

const MAX_REASON_CHARS = 500;

/**
 * Why a record failed, for the run log and the platform's own log: the database's words, never
 * the query error's text, which holds the query's parameters (the run's data, the user's).
 */
export function recordFailureReason(error: unknown): string {
  const cause = error instanceof DrizzleQueryError ? error.cause : error;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.slice(0, MAX_REASON_CHARS);
}
