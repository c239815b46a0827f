import { createHash } from 'node:crypto';

import { eq } from 'drizzle-orm';

import { getApp } from '../apps/service';
import type { Database } from '../db/client';
import { actions, codeVersions } from '../db/schema';
import type { Logger } from '../log';
import { createBridge, preludesFor } from '../platform/registry';
import { runJobSchema, type RunJob } from '../runs/job';
import { recordRun } from '../runs/record';
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
  const log = deps.logger.child({ runId: job.runId, appId: job.appId, actionId: job.actionId });
  // Independent round trips, sent together: the lease and the version to run.
  const [, [row]] = await Promise.all([
    deps.leases.take(job, queued.jobId, queued.workerId),
    deps.db.select().from(actions).where(eq(actions.id, job.actionId)),
  ]);
  if (!row || row.appId !== job.appId) {
    await recordRun(deps.db, job, '', refusal('ActionNotFound', 'The action was removed before it ran'));
    return;
  }
  if (!row.active) {
    await recordRun(deps.db, job, '', refusal('ActionInactive', 'The action was deactivated before it ran'));
    return;
  }
  const codeHash = await storeCodeVersion(deps.db, row.code, row.dependencies);
  const scope = {
    appId: job.appId,
    organizationId: await organizationOf(deps.db, job.appId),
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

// An app never moves to another organisation, and a stored code version never changes, so a
// runner remembers both instead of asking the database on every run.
const organizations = new Map<number, number>();
const storedHashes = new Set<string>();
const STORED_HASHES_MAX = 10_000;

async function organizationOf(db: Database, appId: number): Promise<number> {
  let organizationId = organizations.get(appId);
  if (organizationId === undefined) {
    organizationId = (await getApp(db, appId)).organizationId;
    organizations.set(appId, organizationId);
  }
  return organizationId;
}

/** The code that ran, by content hash, so a re-run can use exactly that version. */
async function storeCodeVersion(db: Database, code: string, dependencies: string[]) {
  const hash = createHash('sha256').update(JSON.stringify([code, dependencies])).digest('hex');
  if (storedHashes.has(hash)) return hash;
  await db.insert(codeVersions).values({ hash, code, dependencies }).onConflictDoNothing();
  if (storedHashes.size >= STORED_HASHES_MAX) storedHashes.clear();
  storedHashes.add(hash);
  return hash;
}
