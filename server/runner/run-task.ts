import { eq } from 'drizzle-orm';

import type { ActionRow } from '../actions/shape';
import { appOrganization } from '../apps/service';
import type { Database } from '../db/client';
import { actionLogs, codeVersions } from '../db/schema';
import type { Logger } from '../log';
import { createBridge, preludesFor } from '../platform/registry';
import { codeVersionHash, runJobSchema, type RunJob } from '../runs/job';
import { recordRun } from '../runs/record';
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
  if (!row || row.appId !== job.appId) {
    const removed = refusal('ActionNotFound', 'The action was removed before it ran');
    await record(deps.db, job, '', removed);
    return;
  }
  if (!row.active) {
    const inactive = refusal('ActionInactive', 'The action was deactivated before it ran');
    await record(deps.db, job, '', inactive);
    return;
  }
  const version = await codeToRun(deps.db, job, row);
  if (!version) {
    const missing = refusal('CodeVersionNotFound', 'The code version to re-run is not stored');
    await record(deps.db, job, '', missing);
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
  await record(deps.db, job, version.hash, outcome);
  const ms = (value: number) => Math.round(value * 10) / 10;
  log.info(
    {
      ok: outcome.ok,
      limit: outcome.ok ? undefined : outcome.limit,
      // Where the time went: waiting in the queue, taking the lease (with the action row),
      // handing over to and back from the sandbox child, in the isolate, recording.
      queueMs: startedAt - queued.runAt.getTime(),
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
 * Records the run; a re-run's log row also points back at the run it repeats. The link commits
 * with the row, in one transaction, and the run's notification is only delivered at that
 * commit, so nobody woken by it can read the row without the link.
 */
async function record(db: Database, job: RunJob, codeHash: string, outcome: SandboxOutcome) {
  const { rerunOf } = job;
  if (rerunOf === undefined) return recordRun(db, job, codeHash, outcome);
  await db.transaction(async (tx) => {
    await recordRun(tx, job, codeHash, outcome);
    await tx.update(actionLogs).set({ rerunOf }).where(eq(actionLogs.runId, job.runId));
  });
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
