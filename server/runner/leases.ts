import { randomUUID } from 'node:crypto';
import os from 'node:os';

import { and, eq, inArray, lt, sql } from 'drizzle-orm';

import type { ActionRow } from '../actions/shape';

import type { Database, Db } from '../db/client';
import { actions, runLeases } from '../db/schema';
import type { Logger } from '../log';
import { RUN_ACTION_TASK, runJobSchema, type RunJob } from '../runs/job';
import { recordFailureReason, recordRun } from '../runs/record';

/**
 * How long a run survives its runner going silent (RUNNER_LEASE_MS, default 30 s); heartbeats
 * renew it six times within that, and every runner looks for expired leases three times.
 */
export function leaseTimings(leaseMs = Number(process.env.RUNNER_LEASE_MS) || 30_000) {
  return { leaseMs, heartbeatMs: Math.ceil(leaseMs / 6), sweepMs: Math.ceil(leaseMs / 3) };
}

export const LOST_RUN_ERROR = {
  name: 'RunnerLostError',
  message:
    'The runner executing this action stopped (crash or kill) before the run finished. The run ' +
    'was not repeated, because an action may already have had side effects.',
};

/**
 * Takes a run's lease, unless the run is already recorded, and reads its action row, in one
 * statement prepared once per runner: building it with drizzle on every run cost ≈ 0.2 ms of CPU.
 */
function takeStatement(db: Database) {
  const value = (name: string) => sql.placeholder(name);
  const lease = db.$with('lease', { runId: sql<string>`run_id`.as('run_id') }).as(sql`
    insert into run_leases (run_id, runner_id, job_id, worker_id, job, expires_at)
    select ${value('runId')}::uuid, ${value('runnerId')}, ${value('jobId')}, ${value('workerId')},
      ${value('job')}::jsonb, ${value('expiresAt')}::timestamptz
    where not exists (select 1 from action_logs where run_id = ${value('runId')}::uuid)
    on conflict (run_id) do nothing
    returning run_id`);
  return db
    .with(lease)
    .select({ taken: sql<boolean>`exists (select 1 from ${lease})`, action: actions })
    .from(actions)
    .where(eq(actions.id, value('actionId')))
    .prepare('take_lease_and_action');
}

/**
 * Leases make a hard-killed runner's runs visible: every run holds a lease that its runner
 * renews; any runner records the runs of an expired lease as failed and takes their jobs off
 * the queue. Runs are therefore at most once: never repeated, never silently lost.
 */
export class LeaseKeeper {
  readonly runnerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timers: NodeJS.Timeout[] = [];
  /**
   * Runs this process is executing or recording. Only their leases are renewed: a run that
   * ended without its record (the database refused it) must let its lease expire, so that
   * the sweep records it instead of it waiting forever.
   */
  private readonly inFlight = new Set<string>();
  private readonly timings = leaseTimings();
  private readonly take: ReturnType<typeof takeStatement>;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {
    this.take = takeStatement(db);
  }

  /**
   * Takes the lease of a run, unless the run was already recorded or is leased by a runner
   * now: a job the queue hands out a second time (its completion lost in a crash, or returned
   * by a sweep while a stalled runner still held it) must not run the action again. Reads the
   * action row to run in the same statement: one round trip on the path of every run.
   */
  async takeAndLoad(
    job: RunJob,
    jobId: string,
    workerId: string | null,
  ): Promise<{ taken: boolean; action: ActionRow | undefined }> {
    const [row] = await this.take.execute({
      runId: job.runId,
      runnerId: this.runnerId,
      jobId,
      workerId,
      job: JSON.stringify(job),
      expiresAt: new Date(Date.now() + this.timings.leaseMs).toISOString(),
      actionId: job.actionId,
    });
    let taken = row?.taken;
    if (taken === undefined) {
      // No such action (removed): the lease statement ran all the same; ask whether it is ours.
      const [mine] = await this.db
        .select({ runId: runLeases.runId })
        .from(runLeases)
        .where(and(eq(runLeases.runId, job.runId), eq(runLeases.runnerId, this.runnerId)));
      taken = mine !== undefined;
    }
    if (taken) this.inFlight.add(job.runId);
    return { taken, action: row?.action };
  }

  /** The run was recorded, or its recording failed for good: its lease is no longer renewed. */
  finished(runId: string): void {
    this.inFlight.delete(runId);
  }

  start(): void {
    const { heartbeatMs, sweepMs } = this.timings;
    this.timers.push(
      setInterval(() => void this.renew().catch((err) => this.warn(err, 'renew')), heartbeatMs),
      setInterval(() => void this.sweep().catch((err) => this.warn(err, 'sweep')), sweepMs),
    );
    void this.sweep().catch((err: unknown) => this.warn(err, 'sweep'));
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  private warn(err: unknown, what: string): void {
    this.logger.warn({ err }, `lease ${what} failed`);
  }

  /** Extends the leases of the runs in flight here (never another runner's, nor finished ones). */
  async renew(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.db
      .update(runLeases)
      .set({ expiresAt: new Date(Date.now() + this.timings.leaseMs) })
      .where(
        and(eq(runLeases.runnerId, this.runnerId), inArray(runLeases.runId, [...this.inFlight])),
      );
  }

  /**
   * Records the runs of expired leases as lost. Safe on every runner at once: each expired lease
   * is locked by the one runner that handles it, for the whole of its handling.
   */
  async sweep(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const expired = await tx
        .select()
        .from(runLeases)
        .where(lt(runLeases.expiresAt, new Date()))
        .orderBy(runLeases.expiresAt)
        .limit(100)
        .for('update', { skipLocked: true });
      for (const lease of expired) await this.recordLostOrDrop(tx, lease);
      return expired.length + (await this.sweepUnleased(tx));
    });
  }

  /**
   * Each lost run in a savepoint of its own: one that cannot be recorded at all (its app was
   * deleted during the run, so the log has nowhere to go) must not stop the sweep for the
   * others, nor be picked first again at every sweep. Its lease and job are then dropped.
   */
  private async recordLostOrDrop(tx: Db, lease: typeof runLeases.$inferSelect): Promise<void> {
    try {
      await tx.transaction((savepoint) => this.recordLost(savepoint, lease));
    } catch (error) {
      const reason = recordFailureReason(error);
      this.logger.error({ runId: lease.runId, reason }, 'could not record a lost run; dropping it');
      await tx.delete(runLeases).where(eq(runLeases.runId, lease.runId));
      await tx.execute(
        sql`delete from graphile_worker._private_jobs where id = ${lease.jobId}::bigint`,
      );
    }
  }

  /**
   * Jobs locked for longer than a lease lasts with no lease belong to a runner that died
   * holding them: either before starting them (taken or prefetched, never leased, never
   * logged), or after recording them but before its batched completion reached the queue. A
   * live runner starts or returns its prefetched jobs within a lease's time, so these are safe
   * to act on: a job never started goes back to the queue with its attempt given back (it has
   * had no effect, so running it is right); a logged one is taken off the queue.
   */
  private async sweepUnleased(tx: Db): Promise<number> {
    const orphans = await tx.execute<{ id: string; logged: boolean }>(sql`
      select j.id::text as id,
        exists (select 1 from action_logs a where a.run_id = (j.payload->>'runId')::uuid) as logged
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = ${RUN_ACTION_TASK}
        and j.locked_at < now() - make_interval(secs => ${(this.timings.leaseMs * 2) / 1000})
        and not exists (select 1 from run_leases l where l.run_id = (j.payload->>'runId')::uuid)
      limit 100
      for update of j skip locked`);
    const returned = orphans.filter((orphan) => !orphan.logged).map((orphan) => orphan.id);
    const finished = orphans.filter((orphan) => orphan.logged).map((orphan) => orphan.id);
    if (returned.length > 0) {
      // What graphile-worker itself does when a stopping runner gives back prefetched jobs.
      await tx.execute(sql`
        update graphile_worker._private_jobs
        set attempts = greatest(0, attempts - 1), locked_by = null, locked_at = null
        where id = any(${`{${returned.join(',')}}`}::bigint[])`);
      this.logger.warn({ jobIds: returned }, 'returned jobs of a dead runner to the queue');
    }
    if (finished.length > 0) {
      // complete_jobs() skips locked jobs; these are locked by the dead runner.
      await tx.execute(sql`
        delete from graphile_worker._private_jobs
        where id = any(${`{${finished.join(',')}}`}::bigint[])`);
    }
    return orphans.length;
  }

  private async recordLost(tx: Db, lease: typeof runLeases.$inferSelect): Promise<void> {
    const job = runJobSchema.parse(lease.job);
    const stack = `${LOST_RUN_ERROR.name}: ${LOST_RUN_ERROR.message}`;
    await recordRun(tx, job, '', {
      ok: false,
      error: { ...LOST_RUN_ERROR, stack },
      limit: 'crash',
      console: [],
      durationMs: Date.now() - lease.startedAt.getTime(),
    });
    // The dead runner still holds the job; take it off the queue for good. (Unlocking that
    // runner's worker would also unlock its prefetched jobs with their attempts used up, which
    // would then never run; the unleased sweep gives those back properly.)
    await tx.execute(sql`delete from graphile_worker._private_jobs where id = ${lease.jobId}::bigint`);
    this.logger.warn({ runId: lease.runId, runner: lease.runnerId }, 'recorded a run lost with its runner');
  }
}
