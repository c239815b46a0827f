import { z } from 'zod';

import { AppError, isAppError } from '../../errors';
import { listRunLogs, getRunLogRow, toRunLogEntry } from '../../runs/logs';
import { runWithResult } from '../../runs/request';
import { runWaiter } from '../waiter';
import { procedure, router } from '../trpc';

const appInput = z.object({ appId: z.number().int().positive() });

export const runsRouter = router({
  /**
   * The editor's test panel: runs the master version and reports success and failure alike as
   * data, so the panel can show the error and its stack.
   */
  test: procedure
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

  /** One run with what only the admin sees: captured console output and the version that ran. */
  get: procedure
    .input(appInput.extend({ logId: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const row = await getRunLogRow(ctx.db, input.appId, input.logId);
      if (!row) throw new AppError('NOT_FOUND', 'No such run');
      return {
        ...toRunLogEntry(row),
        runId: row.runId,
        version: row.version,
        codeHash: row.codeHash,
        console: row.console,
      };
    }),
});
