import { z } from 'zod';

import { listAudit } from '../../audit/trail';
import { procedure, router } from '../trpc';

/** Settings → Audit trail: organisation admins only (`manage`). */
export const auditRouter = router({
  list: procedure
    .meta({ permission: 'manage' })
    .input(
      z.object({
        organizationId: z.number().int().positive(),
        appId: z.number().int().positive().optional(),
        /** The page of events older than this event id (`nextCursor` of the page before). */
        cursor: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, { ...input, before: input.cursor })),
});
