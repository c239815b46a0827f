import { sql } from 'drizzle-orm';
import { z } from 'zod';

import type { Db } from '../db/client';

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
});

export type RunJob = z.infer<typeof runJobSchema>;

/**
 * Adds the job through the queue's SQL API on the caller's connection, so a job and the change
 * that caused it commit or roll back together. `jobKey` makes a second add for the same key a
 * no-op while the first is pending (used for schedule ticks).
 */
export async function enqueueRun(db: Db, job: RunJob, options: { jobKey?: string } = {}) {
  const payload = JSON.stringify(runJobSchema.parse(job));
  await db.execute(sql`
    select graphile_worker.add_job(
      ${RUN_ACTION_TASK},
      payload := ${payload}::json,
      queue_name := null,
      max_attempts := 1,
      job_key := ${options.jobKey ?? null},
      job_key_mode := 'preserve_run_at'
    )`);
}

/** The channel a runner notifies, with the run id, once a run's log row is committed. */
export const RUN_FINISHED_CHANNEL = 'action_run_finished';
