import { z } from 'zod';

import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { roles } from '../../auth/permissions';
import { addMember, listMembers, removeMember, setMemberRole } from '../../auth/users';
import { refineName, refineText } from '../../platform/datasources/validate';
import { procedure, router } from '../trpc';

const organizationInput = z.object({ organizationId: z.number().int().positive() });
// Text Postgres cannot take would fail the query with a 500; it is bad input instead.
const userIdInput = z.string().min(1).superRefine(refineText);

/** Settings → Users: organisation admins only (`manage`). */
export const usersRouter = router({
  list: procedure
    .meta({ permission: 'manage' })
    .input(organizationInput)
    .query(({ ctx, input }) => listMembers(ctx.db, input.organizationId)),

  /** A new account (its generated password answered once) or an existing one, with a role. */
  create: procedure
    .meta({ permission: 'manage' })
    .input(
      organizationInput.extend({
        email: z.email().max(254),
        name: z.string().trim().min(1).max(100).superRefine(refineName),
        role: z.enum(roles),
        password: z.string().min(MIN_PASSWORD_LENGTH).max(128).optional(),
      }),
    )
    .mutation(({ ctx, input }) => addMember(ctx.db, input)),

  /** The organisation role, or with `appId` the role on that app (null removes it). */
  setRole: procedure
    .meta({ permission: 'manage' })
    .input(
      organizationInput.extend({
        userId: userIdInput,
        appId: z.number().int().positive().optional(),
        role: z.enum(roles).nullable(),
      }),
    )
    .mutation(({ ctx, input }) => setMemberRole(ctx.db, input)),

  remove: procedure
    .meta({ permission: 'manage' })
    .input(organizationInput.extend({ userId: userIdInput }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, input.organizationId, input.userId)),
});
