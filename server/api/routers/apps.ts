import { z } from 'zod';

import { getApp, listApps } from '../../apps/service';
import { procedure, router } from '../trpc';

function toAppObject(app: Awaited<ReturnType<typeof getApp>>) {
  return {
    id: app.id,
    organizationId: app.organizationId,
    name: app.name,
    publishedAt: app.publishedAt?.toISOString() ?? null,
  };
}

export const appsRouter = router({
  list: procedure.query(async ({ ctx }) => (await listApps(ctx.db)).map(toAppObject)),
  get: procedure
    .input(z.object({ appId: z.number().int().positive() }))
    .query(async ({ ctx, input }) => toAppObject(await getApp(ctx.db, input.appId))),
});
