import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';

import {
  createAction,
  getAction,
  listActions,
  publishAction,
  removeAction,
  unpublishAction,
  updateAction,
  findProductionRow,
  presentOne,
} from '../../actions/service';
import type { ActionObject } from '../../actions/shape';
import {
  getVersion,
  listVersions,
  publishState,
  snapshotOf,
  type PublishState,
} from '../../actions/versions';
import type { Db } from '../../db/client';
import { actionLogs, actions } from '../../db/schema';
import { procedure, router } from '../trpc';

const appInput = z.object({ appId: z.number().int().positive() });
const actionInput = appInput.extend({ id: z.number().int().positive() });

/** The admin UI's action procedures: the same service calls as the REST API. */
export const actionsRouter = router({
  list: procedure
    .input(
      appInput.extend({
        limit: z.number().int().optional(),
        offset: z.number().int().optional(),
      }),
    )
    .query(({ ctx, input }) => listActions(ctx.db, input.appId, input)),

  /** The action list page: each master with its publish state and its latest run's outcome. */
  overview: procedure
    .input(appInput)
    .query(({ ctx, input }) => actionOverview(ctx.db, input.appId)),

  get: procedure.input(actionInput).query(async ({ ctx, input }) => {
    const action = await getAction(ctx.db, input.appId, input.id);
    const row = await findProductionRow(ctx.db, input.id);
    const production = row ? await presentOne(ctx.db, row) : null;
    return { action, production, state: stateOf(action, production) };
  }),

  // Bodies are checked by the service, which answers with the product's own error codes.
  create: procedure
    .input(appInput.extend({ data: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => createAction(ctx.db, input.appId, input.data)),

  update: procedure
    .input(actionInput.extend({ data: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => updateAction(ctx.db, input.appId, input.id, input.data)),

  remove: procedure
    .input(actionInput)
    .mutation(({ ctx, input }) => removeAction(ctx.db, input.appId, input.id)),

  publish: procedure
    .input(actionInput)
    .mutation(({ ctx, input }) => publishAction(ctx.db, input.appId, input.id)),

  unpublish: procedure
    .input(actionInput)
    .mutation(({ ctx, input }) => unpublishAction(ctx.db, input.appId, input.id)),

  /** The master's history, newest first: saves, publishes and restores. */
  versions: procedure
    .input(actionInput.extend({ limit: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => listVersions(ctx.db, input.appId, input.id, input.limit)),

  /**
   * Brings an older version back as the master (a save like any other, recorded as
   * `restored`), so undoing a restore is restoring the version before it.
   */
  restore: procedure
    .input(appInput.extend({ versionId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      const version = await getVersion(ctx.db, input.appId, input.versionId);
      return updateAction(ctx.db, input.appId, version.actionId, version.fields, 'restored');
    }),
});

function stateOf(master: ActionObject, production: ActionObject | null): PublishState {
  return publishState(snapshotOf(master), production ? snapshotOf(production) : null);
}

export interface ActionOverviewRow {
  action: ActionObject;
  state: PublishState;
  /**
   * The newest run of either version: when, and its log type (completed or failed). The list
   * shows the action as a whole, live runs included; each action object's own `lastRunAt`
   * counts only its version's runs.
   */
  lastRun: { at: string; type: string } | null;
}

/** The first page of masters (the list's limit) with their production rows and last runs. */
async function actionOverview(db: Db, appId: number) {
  const list = await listActions(db, appId, { limit: 100 });
  const ids = list.actions.map((action) => action.id);
  if (ids.length === 0) return { rows: [], pagination: list.pagination };
  const [productions, lastRuns] = await Promise.all([
    db
      .select()
      .from(actions)
      .where(and(eq(actions.appId, appId), inArray(actions.masterId, ids))),
    db
      .selectDistinctOn([actionLogs.masterId], {
        masterId: actionLogs.masterId,
        type: actionLogs.type,
        at: actionLogs.createdAt,
      })
      .from(actionLogs)
      .where(and(eq(actionLogs.appId, appId), inArray(actionLogs.masterId, ids)))
      .orderBy(actionLogs.masterId, desc(actionLogs.id)),
  ]);
  const rows: ActionOverviewRow[] = list.actions.map((action) => {
    const production = productions.find((row) => row.masterId === action.id);
    const run = lastRuns.find((entry) => entry.masterId === action.id);
    return {
      action,
      state: publishState(snapshotOf(action), production ? snapshotOf(production) : null),
      lastRun: run ? { at: run.at.toISOString(), type: run.type } : null,
    };
  });
  return { rows, pagination: list.pagination };
}
