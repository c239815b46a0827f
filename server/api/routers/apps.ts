import { z } from 'zod';

import { getApp, listApps, setAppPublished } from '../../apps/service';
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
  // Publishing the app is what allows its actions to be published. No roles exist yet; when
  // they do, this belongs to admins only.
  setPublished: procedure
    .input(z.object({ appId: z.number().int().positive(), published: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      toAppObject(await setAppPublished(ctx.db, input.appId, input.published)),
    ),
});
