import { z } from 'zod';

import type { Access } from '../../auth/access';
import { AppError } from '../../errors';
import {
  findEntries,
  getDataSource,
  insertEntry,
  listDataSources,
  removeEntry,
  replaceEntry,
  rowIdSchema,
  type DataSourceScope,
} from '../../platform/datasources/service';
import { procedure, router } from '../trpc';

/** One page of the data browser is at most this many entries. */
export const MAX_BROWSER_PAGE = 100;

const appInput = z.object({ appId: z.number().int().positive() });
const sourceInput = appInput.extend({ dataSourceId: rowIdSchema });
const entryInput = sourceInput.extend({ entryId: rowIdSchema });
// The service checks the values, answering BAD_REQUEST with a message that names the fault.
const entryData = z.record(z.string(), z.unknown());

/**
 * The admin UI's data sources: names for the trigger forms, and the data browser's pages and
 * edits. Changes go through the same service functions as actions and the REST API, so each
 * writes its app log event (and fires log triggers); the audit trail records who made it.
 */
export const dataSourcesRouter = router({
  list: procedure
    .input(appInput)
    .query(async ({ ctx, input }) =>
      (await listDataSources(ctx.db, input.appId)).map(({ id, name, columns }) => ({
        id,
        name,
        columns,
      })),
    ),

  /** One page of entries, oldest first, with the data source as it is now (its columns grow). */
  entries: procedure
    .input(
      sourceInput.extend({
        limit: z.number().int().min(1).max(MAX_BROWSER_PAGE).default(25),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { appId, dataSourceId, limit, offset } = input;
      const dataSource = await getDataSource(ctx.db, appId, dataSourceId);
      const query = { limit, offset, includePagination: true } as const;
      const page = await findEntries(ctx.db, appId, dataSourceId, query);
      return { dataSource, ...page };
    }),

  createEntry: procedure
    .input(sourceInput.extend({ data: entryData }))
    .mutation(({ ctx, input }) =>
      insertEntry(ctx.db, scopeOf(ctx.access, input.appId), input.dataSourceId, input.data),
    ),

  /** Saves the entry as the browser shows it: the whole data, so removed keys go (commit). */
  updateEntry: procedure
    .input(entryInput.extend({ data: entryData }))
    .mutation(({ ctx, input }) =>
      replaceEntry(
        ctx.db,
        scopeOf(ctx.access, input.appId),
        input.dataSourceId,
        input.entryId,
        input.data,
      ),
    ),

  removeEntry: procedure
    .input(entryInput)
    .mutation(async ({ ctx, input }) => {
      const scope = scopeOf(ctx.access, input.appId);
      await removeEntry(ctx.db, scope, input.dataSourceId, input.entryId);
      return { removed: input.entryId };
    }),
});

/** People editing in the admin app are no app users, so app log events carry no user id. */
function scopeOf(access: Access | null, appId: number): DataSourceScope {
  // The role check sets `access` for every input that names an app.
  if (!access) throw new AppError('INTERNAL_ERROR', 'data source change without a role check');
  return { appId, organizationId: access.organizationId, userId: null };
}
