import { z } from 'zod';

import { roles } from '../../auth/permissions';
import { refineName } from '../../platform/datasources/validate';
import { createOrganizationToken, listTokens, revokeToken } from '../tokens';
import { procedure, router } from '../trpc';

const organizationInput = z.object({ organizationId: z.number().int().positive() });

/** Settings → API tokens: organisation admins only (`manage`). */
export const tokensRouter = router({
  list: procedure
    .meta({ permission: 'manage' })
    .input(organizationInput)
    .query(({ ctx, input }) => listTokens(ctx.db, input.organizationId)),

  /** The token itself is in this answer only; it is stored as its SHA-256. */
  create: procedure
    .meta({ permission: 'manage' })
    .input(
      organizationInput.extend({
        /** Absent: the token reaches every app of the organisation. */
        appId: z.number().int().positive().optional(),
        name: z.string().trim().min(1).max(100).superRefine(refineName),
        role: z.enum(roles),
      }),
    )
    .mutation(({ ctx, input }) => createOrganizationToken(ctx.db, input)),

  revoke: procedure
    .meta({ permission: 'manage' })
    .input(organizationInput.extend({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => revokeToken(ctx.db, input.organizationId, input.id)),
});
