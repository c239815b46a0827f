import { createHash } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { z } from 'zod';

import type { Db } from '../db/client';
import { withoutProtoKeys } from '../json-shape';
import { withQueuePriority } from './fairness';

/** The queue's only job kind: run one version of one action once. Never retried by the queue. */
export const RUN_ACTION_TASK = 'run-action';

export const runModes = ['on-demand', 'scheduled'] as const;
export const runVersions = ['master', 'production'] as const;
export type RunVersion = (typeof runVersions)[number];

export const runJobSchema = z.object({
  runId: z.uuid(),
  appId: z.number().int().positive(),
  /** The row that runs: the master or the production version. */
  actionId: z.number().int().positive(),
  masterId: z.number().int().positive(),
  version: z.enum(runVersions),
  mode: z.enum(runModes),
  trigger: z.enum(['manual', 'schedule', 'log', 'analytics']),
  payload: z.record(z.string(), z.unknown()),
  /** Depth in a chain of log-triggered runs, so a self-triggering action cannot loop forever. */
  chainDepth: z.number().int().min(0).default(0),
  /** For scheduled runs: the cron slot this run is for. */
  scheduledFor: z.string().optional(),
  /**
   * Runs this stored code version (`code_versions.hash`) instead of the row's current code:
   * a re-run on the exact version that ran before. The row still decides whether it may run.
   */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** For a re-run: the run log id of the run it repeats, kept as `action_logs.rerun_of`. */
  rerunOf: z.number().int().positive().optional(),
});

export type RunJob = z.infer<typeof runJobSchema>;

/**
 * Adds the job through the queue's SQL API on the caller's connection, so a job and the change
 * that caused it commit or roll back together. Its priority keeps one app's flood of runs from
 * starving the others (see fairness.ts). `__proto__` keys leave the run's payload here, at every
 * level, whatever queued it: a log-triggered run carries entry data, which may hold them.
 */
export async function enqueueRun(db: Db, job: RunJob) {
  const checked = runJobSchema.parse(job);
  const payload = JSON.stringify({ ...checked, payload: withoutProtoKeys(checked.payload) });
  await db.execute(
    withQueuePriority(job.appId, 1, (priority) => sql`
      select graphile_worker.add_job(
        ${RUN_ACTION_TASK},
        payload := ${payload}::json,
        max_attempts := 1,
        priority := ${priority}
      )`),
  );
}

/** The name of a code version: the same code and dependencies always hash alike. */
export function codeVersionHash(code: string, dependencies: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([code, dependencies])).digest('hex');
}

/** The channel a runner notifies, with the run id, once a run's log row is committed. */
export const RUN_FINISHED_CHANNEL = 'action_run_finished';
