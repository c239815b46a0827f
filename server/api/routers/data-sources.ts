import { z } from 'zod';

import { listDataSources } from '../../platform/datasources/service';
import { procedure, router } from '../trpc';

/** What the admin UI needs of an app's data sources: enough to pick one in a trigger form. */
export const dataSourcesRouter = router({
  list: procedure
    .input(z.object({ appId: z.number().int().positive() }))
    .query(async ({ ctx, input }) =>
      (await listDataSources(ctx.db, input.appId)).map(({ id, name, columns }) => ({
        id,
        name,
        columns,
      })),
    ),
});
