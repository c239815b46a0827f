import { eq } from 'drizzle-orm';

import type { ActionRow } from '../actions/shape';
import { appOrganization } from '../apps/service';
import type { Database } from '../db/client';
import { codeVersions } from '../db/schema';
import type { Logger } from '../log';
import { createBridge, preludesFor } from '../platform/registry';
import { codeVersionHash, runJobSchema, type RunJob } from '../runs/job';
import { recordFailureReason, recordRun } from '../runs/record';
import type { SandboxOutcome, SandboxRequest, HostBridge } from './sandbox/types';

export interface Sandbox {
  run(request: SandboxRequest, bridge: HostBridge): Promise<SandboxOutcome>;
}

export interface RunTaskDeps {
  db: Database;
  sandbox: Sandbox;
  leases: {
    takeAndLoad(
      job: RunJob,
      jobId: string,
      workerId: string | null,
    ): Promise<{ taken: boolean; action: ActionRow | undefined }>;
    finished(runId: string): void;
  };
  limits: { timeoutMs: number; memoryMb: number };
  logger: Logger;
}

/** Executes one queued run and records it; never throws for the action's own failures. */
export async function executeRunJob(
  deps: RunTaskDeps,
  rawJob: unknown,
  queued: { jobId: string; workerId: string | null; runAt: Date },
): Promise<void> {
  const startedAt = Date.now();
  const started = performance.now();
  const job = runJobSchema.parse(rawJob);
  const log = deps.logger.child({ runId: job.runId, appId: job.appId, actionId: job.actionId });
  const { taken, action: row } = await deps.leases.takeAndLoad(job, queued.jobId, queued.workerId);
  const leased = performance.now();
  if (!taken) {
    log.warn('run already recorded; not running it again');
    return;
  }
  try {
    await runLeased(deps, job, row, log, { startedAt, started, leased, runAt: queued.runAt });
  } finally {
    // Recorded, or not recordable at all: either way its lease is no longer renewed, so a run
    // that could not be recorded expires and the sweep records it (never silently lost).
    deps.leases.finished(job.runId);
  }
}

interface RunTimes {
  startedAt: number;
  started: number;
  leased: number;
  runAt: Date;
}

async function runLeased(
  deps: RunTaskDeps,
  job: RunJob,
  row: ActionRow | undefined,
  log: Logger,
  times: RunTimes,
): Promise<void> {
  const { startedAt, started, leased } = times;
  if (!row || row.appId !== job.appId) {
    const removed = refusal('ActionNotFound', 'The action was removed before it ran');
    await record(deps.db, job, '', removed, log);
    return;
  }
  if (!row.active) {
    const inactive = refusal('ActionInactive', 'The action was deactivated before it ran');
    await record(deps.db, job, '', inactive, log);
    return;
  }
  const version = await codeToRun(deps.db, job, row);
  if (!version) {
    const missing = refusal('CodeVersionNotFound', 'The code version to re-run is not stored');
    await record(deps.db, job, '', missing, log);
    return;
  }
  const scope = {
    appId: job.appId,
    organizationId: await appOrganization(deps.db, job.appId),
    db: deps.db,
    logger: log,
    runId: job.runId,
    chainDepth: job.chainDepth,
  };
  const outcome = await deps.sandbox.run(
    {
      code: version.code,
      payload: job.payload,
      timeoutMs: deps.limits.timeoutMs,
      memoryMb: deps.limits.memoryMb,
      preludes: preludesFor(version.dependencies),
    },
    createBridge(scope, version.dependencies),
  );
  const sandboxed = performance.now();
  await record(deps.db, job, version.hash, outcome, log);
  const ms = (value: number) => Math.round(value * 10) / 10;
  log.info(
    {
      ok: outcome.ok,
      limit: outcome.ok ? undefined : outcome.limit,
      // Where the time went: waiting in the queue, taking the lease (with the action row),
      // handing over to and back from the sandbox child, in the isolate, recording.
      queueMs: startedAt - times.runAt.getTime(),
      leaseMs: ms(leased - started),
      handoverMs: ms(sandboxed - leased - outcome.durationMs),
      sandboxMs: outcome.durationMs,
      recordMs: ms(performance.now() - sandboxed),
    },
    'run finished',
  );
}

interface CodeVersion {
  hash: string;
  code: string;
  dependencies: string[];
}

/**
 * The code a run executes: the row's current code (stored by its hash on the way), or for a
 * re-run on the exact version that ran before, that stored version; null if it is not stored.
 */
async function codeToRun(db: Database, job: RunJob, row: ActionRow): Promise<CodeVersion | null> {
  if (job.codeHash === undefined) {
    const hash = await storeCodeVersion(db, row.code, row.dependencies);
    return { hash, code: row.code, dependencies: row.dependencies };
  }
  const [stored] = await db.select().from(codeVersions).where(eq(codeVersions.hash, job.codeHash));
  if (!stored) return null;
  return { hash: stored.hash, code: stored.code, dependencies: stored.dependencies };
}

/**
 * Records the run. When the database refuses the record, the run is recorded as failed with
 * the reason instead; when that fails too, the error goes up and the run's lease expires.
 */
async function record(
  db: Database,
  job: RunJob,
  codeHash: string,
  outcome: SandboxOutcome,
  log: Logger,
): Promise<void> {
  try {
    await recordRun(db, job, codeHash, outcome);
    return;
  } catch (error) {
    const reason = recordFailureReason(error);
    // The reason only: a query error carries the run's data (the user's) in its parameters.
    log.error({ reason }, 'could not record the run; recording it as failed instead');
    try {
      await recordRun(db, job, codeHash, recordFailure(outcome, reason));
    } catch (fallbackError) {
      // Reported to the queue by its reason only, for the same reason.
      const again = recordFailureReason(fallbackError);
      throw new Error(`The run could not be recorded (${again}); its lease will expire`);
    }
  }
}

function recordFailure(outcome: SandboxOutcome, reason: string): SandboxOutcome {
  const name = 'RecordError';
  const message = `The run finished but its result could not be stored: ${reason}`;
  const error = { name, message, stack: `${name}: ${message}` };
  // Without its console: what the database refused may be in there.
  return { ok: false, error, console: [], durationMs: outcome.durationMs };
}

function refusal(name: string, message: string): SandboxOutcome {
  return { ok: false, error: { name, message, stack: `${name}: ${message}` }, console: [], durationMs: 0 };
}

// A stored code version never changes, so a runner remembers which ones are stored.
const storedHashes = new Set<string>();
const STORED_HASHES_MAX = 10_000;

/** The code that ran, by content hash, so a re-run can use exactly that version. */
async function storeCodeVersion(db: Database, code: string, dependencies: string[]) {
  const hash = codeVersionHash(code, dependencies);
  if (storedHashes.has(hash)) return hash;
  await db.insert(codeVersions).values({ hash, code, dependencies }).onConflictDoNothing();
  if (storedHashes.size >= STORED_HASHES_MAX) storedHashes.clear();
  storedHashes.add(hash);
  return hash;
}
