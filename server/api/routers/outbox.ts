import { z } from 'zod';

import {
  getOutboxMessage,
  listOutbox,
  outboxMessageSchema,
  outboxOverview,
  outboxPageSchema,
} from '../../platform/communicate/outbox';
import { procedure, router } from '../trpc';

/**
 * The Outbox page: emails, SMS, push messages and in-app notifications an app's actions sent.
 * Read-only, so every role on the app may look (queries need `read`).
 */
export const outboxRouter = router({
  /** How many messages of each kind, and which channels hand them to a provider. */
  overview: procedure
    .input(z.object({ appId: z.number().int().positive() }))
    .query(({ ctx, input }) => outboxOverview(ctx.db, input.appId)),

  /** Newest first, keyset-paged by id; emails carry a text preview, not their bodies. */
  list: procedure.input(outboxPageSchema).query(({ ctx, input }) => listOutbox(ctx.db, input)),

  /** One message in full; an email's HTML comes back as a string, to show sandboxed. */
  get: procedure
    .input(outboxMessageSchema)
    .query(({ ctx, input }) => getOutboxMessage(ctx.db, input)),
});
