import { createHash } from 'node:crypto';

import { eq, sql } from 'drizzle-orm';

import { getApp } from '../apps/service';
import type { Database, Db } from '../db/client';
import { actionLogs, actions, codeVersions, runLeases } from '../db/schema';
import type { Logger } from '../log';
import { createBridge, preludesFor } from '../platform/registry';
import { RUN_FINISHED_CHANNEL, runJobSchema, type RunJob } from '../runs/job';
import { RUN_COMPLETED, RUN_FAILED } from '../runs/logs';
import type { SandboxOutcome, SandboxRequest, HostBridge } from './sandbox/types';

export interface Sandbox {
  run(request: SandboxRequest, bridge: HostBridge): Promise<SandboxOutcome>;
}

export interface RunTaskDeps {
  db: Database;
  sandbox: Sandbox;
  leases: { take(job: RunJob, jobId: string, workerId: string | null): Promise<void> };
  limits: { timeoutMs: number; memoryMb: number };
  logger: Logger;
}

/** Executes one queued run and records it; never throws for the action's own failures. */
export async function executeRunJob(
  deps: RunTaskDeps,
  rawJob: unknown,
  queued: { jobId: string; workerId: string | null },
): Promise<void> {
  const job = runJobSchema.parse(rawJob);
  await deps.leases.take(job, queued.jobId, queued.workerId);
  const log = deps.logger.child({ runId: job.runId, appId: job.appId, actionId: job.actionId });
  const [row] = await deps.db.select().from(actions).where(eq(actions.id, job.actionId));
  if (!row || row.appId !== job.appId) {
    await recordRun(deps.db, job, '', refusal('ActionNotFound', 'The action was removed before it ran'));
    return;
  }
  if (!row.active) {
    await recordRun(deps.db, job, '', refusal('ActionInactive', 'The action was deactivated before it ran'));
    return;
  }
  const codeHash = await storeCodeVersion(deps.db, row.code, row.dependencies);
  const app = await getApp(deps.db, job.appId);
  const scope = {
    appId: job.appId,
    organizationId: app.organizationId,
    db: deps.db,
    logger: log,
    runId: job.runId,
    chainDepth: job.chainDepth,
  };
  const outcome = await deps.sandbox.run(
    {
      code: row.code,
      payload: job.payload,
      timeoutMs: deps.limits.timeoutMs,
      memoryMb: deps.limits.memoryMb,
      preludes: preludesFor(row.dependencies),
    },
    createBridge(scope, row.dependencies),
  );
  log.info({ ok: outcome.ok, durationMs: outcome.durationMs, limit: outcome.ok ? undefined : outcome.limit }, 'run finished');
  await recordRun(deps.db, job, codeHash, outcome);
}

function refusal(name: string, message: string): SandboxOutcome {
  return { ok: false, error: { name, message, stack: `${name}: ${message}` }, console: [], durationMs: 0 };
}

/** The code that ran, by content hash, so a re-run can use exactly that version. */
async function storeCodeVersion(db: Database, code: string, dependencies: string[]) {
  const hash = createHash('sha256').update(JSON.stringify([code, dependencies])).digest('hex');
  await db.insert(codeVersions).values({ hash, code, dependencies }).onConflictDoNothing();
  return hash;
}

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

/**
 * Writes the run log, marks the action as run, ends the run's lease and wakes any waiter, in one
 * transaction. The first record of a run wins: a runner that comes back after its lease was
 * given up (and the run recorded as lost) cannot log the same run twice.
 */
export async function recordRun(
  db: Db,
  job: RunJob,
  codeHash: string,
  outcome: SandboxOutcome,
) {
  await db.transaction(async (tx) => {
    const inserted = await tx.insert(actionLogs).values({
      appId: job.appId,
      masterId: job.masterId,
      runId: job.runId,
      type: outcome.ok ? RUN_COMPLETED : RUN_FAILED,
      data: runLogData(job, job.actionId, outcome),
      version: job.version,
      codeHash,
      console: outcome.console,
    }).onConflictDoNothing({ target: actionLogs.runId }).returning({ id: actionLogs.id });
    await tx.delete(runLeases).where(eq(runLeases.runId, job.runId));
    if (inserted.length === 0) return;
    const now = new Date();
    await tx.update(actions).set({ lastRunAt: now }).where(eq(actions.id, job.actionId));
    if (job.actionId !== job.masterId) {
      await tx.update(actions).set({ lastRunAt: now }).where(eq(actions.id, job.masterId));
    }
    await tx.execute(sql`select pg_notify(${RUN_FINISHED_CHANNEL}, ${job.runId})`);
  });
}
