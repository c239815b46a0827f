import { z } from 'zod';

import { isAppError } from '../../errors';
import {
  exploreChart,
  explorePage,
  explorerFiltersSchema,
  explorerPageSchema,
  getRunDetail,
  rowsByIds,
} from '../../runs/explorer';
import { listRunLogs } from '../../runs/logs';
import { runWithResult } from '../../runs/request';
import { queueRerun, rerunAndWait, rerunTargets } from '../../runs/rerun';
import { runWaiter } from '../waiter';
import { procedure, router } from '../trpc';

const appInput = z.object({ appId: z.number().int().positive() });

export const runsRouter = router({
  /**
   * The editor's test panel: runs the master version and reports success and failure alike as
   * data, so the panel can show the error and its stack.
   */
  test: procedure
    .meta({ permission: 'run' })
    .input(appInput.extend({ id: z.number().int().positive(), payload: z.unknown() }))
    .mutation(async ({ ctx, input }) => {
      const started = Date.now();
      try {
        const run = await runWithResult(ctx.db, runWaiter(), {
          appId: input.appId,
          nameOrId: input.id,
          version: 'master',
          payload: input.payload,
        });
        return { ok: true as const, ...run, elapsedMs: Date.now() - started };
      } catch (error) {
        if (!isAppError(error) || !error.details?.logId) throw error;
        return {
          ok: false as const,
          status: error.status,
          message: error.message,
          logId: Number(error.details.logId),
          error: error.details.errorDetails ?? null,
          elapsedMs: Date.now() - started,
        };
      }
    }),

  logs: procedure
    .input(
      appInput.extend({
        actionId: z.number().int().positive().optional(),
        type: z.string().optional(),
        limit: z.number().int().optional(),
        offset: z.number().int().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listRunLogs(ctx.db, input.appId, {
        id: input.actionId,
        type: input.type,
        limit: input.limit,
        offset: input.offset,
      }),
    ),

  /** The log explorer's table: filtered, keyset-paged newest first. */
  explore: procedure
    .input(explorerPageSchema)
    .query(({ ctx, input }) => explorePage(ctx.db, input)),

  /** The log explorer's chart: the same filters, runs and durations per time bucket. */
  chart: procedure
    .input(explorerFiltersSchema)
    .query(({ ctx, input }) => exploreChart(ctx.db, input)),

  /**
   * One run with what only the admin sees: console output, the version and code that ran,
   * whether the master still has that code, and its re-runs.
   */
  get: procedure
    .input(appInput.extend({ logId: z.number().int().positive() }))
    .query(({ ctx, input }) => getRunDetail(ctx.db, input.appId, input.logId)),

  /**
   * Runs a logged run again with its payload, on the version that ran or the current master.
   * With `wait` (the default) it answers once the new run is logged, with its list row.
   */
  rerun: procedure
    // Support staff hold `rerun` without `edit` or `run`: they repeat logged runs, nothing else.
    .meta({ permission: 'rerun' })
    .input(
      appInput.extend({
        logId: z.number().int().positive(),
        on: z.enum(rerunTargets),
        wait: z.boolean().default(true),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const request = { appId: input.appId, logId: input.logId, on: input.on };
      if (!input.wait) {
        const job = await queueRerun(ctx.db, request);
        return { runId: job.runId, logId: null, row: null };
      }
      const { runId, logId } = await rerunAndWait(ctx.db, runWaiter(), request);
      const [row] = logId === null ? [] : await rowsByIds(ctx.db, input.appId, [logId]);
      return { runId, logId, row: row ?? null };
    }),
});
