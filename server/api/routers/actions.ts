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
import { procedure, router } from '../trpc';

const appInput = z.object({ appId: z.number().int().positive() });
const actionInput = appInput.extend({ id: z.number().int().positive() });

/** The admin UI's action procedures: the same service calls as the REST API. */
export const actionsRouter = router({
  list: procedure
    .input(appInput.extend({ limit: z.number().int().optional(), offset: z.number().int().optional() }))
    .query(({ ctx, input }) => listActions(ctx.db, input.appId, input)),

  get: procedure.input(actionInput).query(async ({ ctx, input }) => {
    const action = await getAction(ctx.db, input.appId, input.id);
    const production = await findProductionRow(ctx.db, input.id);
    return { action, production: production ? await presentOne(ctx.db, production) : null };
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
});
