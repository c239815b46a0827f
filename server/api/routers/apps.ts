import { z } from 'zod';

import { appsOf } from '../../auth/access';
import { getApp, setAppPublished, type AppRow } from '../../apps/service';
import { procedure, router } from '../trpc';

function toAppObject(app: Pick<AppRow, 'id' | 'organizationId' | 'name' | 'publishedAt'>) {
  return {
    id: app.id,
    organizationId: app.organizationId,
    name: app.name,
    publishedAt: app.publishedAt?.toISOString() ?? null,
  };
}

export const appsRouter = router({
  /** The apps the caller has a role on, and that role. */
  list: procedure.meta({ scope: 'user' }).query(async ({ ctx }) =>
    (await appsOf(ctx.db, ctx.user.id)).map(({ role, ...app }) => ({
      ...toAppObject(app),
      role,
    })),
  ),
  get: procedure
    .input(z.object({ appId: z.number().int().positive() }))
    .query(async ({ ctx, input }) => toAppObject(await getApp(ctx.db, input.appId))),
  // Publishing the app is what allows its actions to be published: an admin's decision.
  setPublished: procedure
    .meta({ permission: 'manage' })
    .input(z.object({ appId: z.number().int().positive(), published: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      toAppObject(await setAppPublished(ctx.db, input.appId, input.published)),
    ),
});
