import { run, type Runner } from 'graphile-worker';

import { db } from '../db/client';
import { migrateDatabase, queueLogger } from '../db/migrate';
import { env } from '../env';
import { logger } from '../log';
import { prunePressure } from '../runs/fairness';
import { RUN_ACTION_TASK } from '../runs/job';
import { Scheduler } from '../triggers/scheduler';
import { LeaseKeeper, leaseTimings } from './leases';
import { patchLocalQueueRelease } from './queue-fixes';
import { executeRunJob } from './run-task';
import { SandboxPool } from './sandbox/pool';

/**
 * The runner process: takes run jobs from the queue, executes them in sandbox child processes
 * and writes their run logs. Any number of runners may share one database.
 */
export async function startRunner(): Promise<Runner> {
  const config = env();
  const url = config.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set; start the runner through npm start');
  await migrateDatabase(url);
  const log = logger.child({ component: 'runner' });
  const sandboxes = config.RUNNER_SANDBOXES ?? config.RUNNER_CONCURRENCY;
  const pool = new SandboxPool({ size: sandboxes, logger: log });
  await pool.started();
  const leases = new LeaseKeeper(db(), log);
  const deps = {
    db: db(),
    sandbox: pool,
    leases,
    limits: { timeoutMs: config.ACTIONS_SERVER_TIMEOUT_MS, memoryMb: config.ACTIONS_MEMORY_MB },
    logger: log,
  };
  patchLocalQueueRelease();
  const runner = await run({
    connectionString: url,
    // We stop on signals ourselves (below): once, however many signals arrive.
    noHandleSignals: true,
    concurrency: config.RUNNER_CONCURRENCY,
    logger: queueLogger(),
    preset: {
      worker: {
        // Jobs are fetched a few at a time into a local queue: one queue query serves several
        // runs. A prefetched job not yet started holds no lease; it goes back to the queue when
        // the runner stops (SIGTERM), after `ttl` while the runner lives, or through another
        // runner's sweep if this one is killed (leases.ts). The queue stays short so that a
        // newly queued run of another app waits behind only a few runs (runs/fairness.ts).
        localQueue: { size: config.RUNNER_CONCURRENCY * 2, ttl: leaseTimings().leaseMs },
        // Completions go back in batches. A completion lost in a crash does not run the job
        // twice: the lease refuses a run that is already recorded.
        completeJobBatchDelay: 20,
      },
    },
    taskList: {
      [RUN_ACTION_TASK]: (payload, helpers) =>
        executeRunJob(deps, payload, {
          jobId: helpers.job.id,
          workerId: helpers.job.locked_by,
          runAt: helpers.job.run_at,
        }),
    },
  });
  leases.start();
  const scheduler = new Scheduler({ db: db(), logger: log.child({ component: 'scheduler' }) });
  scheduler.start();
  const pruning = setInterval(() => void prunePressure(db()).catch(() => {}), 60_000);
  log.info(
    { concurrency: config.RUNNER_CONCURRENCY, sandboxes, runnerId: leases.runnerId },
    'runner started',
  );
  // SIGTERM or SIGINT drains: no new jobs, running ones finish. Then we close and exit.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.info({ signal }, 'already draining');
      return;
    }
    stopping = true;
    log.info({ signal }, 'draining: finishing the runs in progress, taking no new ones');
    void runner.stop().catch((error: unknown) => log.error({ err: error }, 'queue stop failed'));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  void runner.promise
    .catch((error: unknown) => log.error({ err: error }, 'queue runner failed'))
    .finally(async () => {
      leases.stop();
      scheduler.stop();
      clearInterval(pruning);
      await pool.close();
      await db().$client.end();
      log.info('runner stopped');
      process.exit(0);
    });
  return runner;
}

/**
 * A runner started by a supervisor (npm start, a test) that is told its supervisor's pid drains
 * and exits when that process is gone, instead of living on as an orphan holding jobs.
 */
function exitWithSupervisor(): void {
  const supervisor = Number(process.env.RUNNER_SUPERVISOR_PID);
  if (!Number.isInteger(supervisor) || supervisor <= 1) return;
  const watch = setInterval(() => {
    try {
      process.kill(supervisor, 0);
    } catch {
      clearInterval(watch);
      logger.warn({ supervisor }, 'supervisor is gone; draining and stopping');
      process.kill(process.pid, 'SIGTERM');
    }
  }, 2_000);
  watch.unref();
}

const isMain = process.argv[1]?.endsWith('runner/main.ts');
if (isMain) {
  exitWithSupervisor();
  startRunner().catch((error: unknown) => {
    logger.fatal({ err: error }, 'runner failed to start');
    process.exit(1);
  });
}
