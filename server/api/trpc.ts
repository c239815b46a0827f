import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { z } from 'zod';

import {
  appAccess,
  appNotFound,
  organizationAccess,
  organizationNotFound,
  requirePermission,
  type Access,
} from '../auth/access';
import type { Permission } from '../auth/permissions';
import { NOT_AUDITED, trpcAudit } from '../audit/events';
import { recordAudit } from '../audit/trail';
import { AppError, isAppError } from '../errors';
import { logger } from '../log';
import type { TrpcContext } from './context';

export type { TrpcContext } from './context';

/**
 * What a procedure declares about itself with `.meta(…)`:
 * - `permission`: what the caller needs on the app or organisation of the input. Without it,
 *   queries need `read` and mutations `edit`.
 * - `scope: 'user'`: the input names no app or organisation, and the procedure limits what it
 *   returns to the caller's own memberships itself (apps.list, auth.me). Any other procedure
 *   without `appId` or `organizationId` in its input is refused.
 */
export interface ProcedureMeta {
  permission?: Permission;
  scope?: 'user';
}

const trpcCodes: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  504: 'TIMEOUT',
};

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // The UI shows the product's own status code (NAME_TOO_LONG, …) next to the field at fault.
      const app = isAppError(cause) ? cause.toJSON() : null;
      return { ...shape, data: { ...shape.data, app } };
    },
  });

/** Turns the product's errors into tRPC errors carrying the same code and message. */
const appErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (isAppError(cause)) {
    throw new TRPCError({
      code: trpcCodes[cause.httpStatus] ?? 'INTERNAL_SERVER_ERROR',
      message: cause.message,
      cause,
    });
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    logger.error({ err: result.error, path }, 'unexpected error in tRPC procedure');
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong' });
  }
  return result;
});

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  return next({ ctx: { user: ctx.user, session: ctx.session } });
});

const positiveId = z.coerce.number().int().positive();

/** The app and organisation a call is about, read from its input before the input parser. */
function scopeOf(raw: unknown): { appId: number | null; organizationId: number | null } {
  const read = (key: 'appId' | 'organizationId') => {
    if (typeof raw !== 'object' || raw === null || !(key in raw)) return null;
    const value: unknown = Reflect.get(raw, key);
    if (value === undefined) return null;
    const parsed = positiveId.safeParse(value);
    if (!parsed.success) {
      throw new AppError('BAD_REQUEST', `${key} must be a positive whole number`);
    }
    return parsed.data;
  };
  return { appId: read('appId'), organizationId: read('organizationId') };
}

/**
 * The one authorisation check of the admin API: every procedure's input names the app or the
 * organisation it acts on, and the caller's role there must grant the procedure's permission.
 */
const authorized = t.middleware(async ({ ctx, meta, type, getRawInput, next }) => {
  if (!ctx.user) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  const userId = ctx.user.id;
  const { appId, organizationId } = scopeOf(await getRawInput());
  const permission = meta?.permission ?? (type === 'mutation' ? 'edit' : 'read');
  let access: Access | null = null;
  if (appId !== null) {
    access = requirePermission(await appAccess(ctx.db, userId, appId), permission, () =>
      appNotFound(appId),
    );
    if (organizationId !== null && access.organizationId !== organizationId) {
      throw appNotFound(appId);
    }
  }
  if (organizationId !== null) {
    // An app role does not reach the organisation's own settings: that takes a membership.
    const inOrganization = await organizationAccess(ctx.db, userId, organizationId);
    access = requirePermission(inOrganization, permission, () =>
      organizationNotFound(organizationId),
    );
    if (appId !== null) access = { ...access, appId };
  }
  if (!access && meta?.scope !== 'user') {
    throw new AppError('FORBIDDEN', 'This procedure names no app or organisation to check');
  }
  return next({ ctx: { access } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** For the few procedures that answer signed-out callers too (auth.me). */
export const publicProcedure = t.procedure.use(appErrors);
/**
 * Every other procedure: a session, the role check of `authorized`, and, after a mutation
 * listed in server/audit/events.ts succeeded, its audit row with the user as actor.
 */
export const procedure = publicProcedure
  .use(signedIn)
  .use(authorized)
  .use(async ({ ctx, path, type, getRawInput, next }) => {
    const result = await next();
    const rule = trpcAudit[path];
    if (type !== 'mutation' || !result.ok || !rule || rule === NOT_AUDITED || !ctx.access) {
      return result;
    }
    await recordAudit(
      ctx.db,
      rule,
      { input: await getRawInput(), result: result.data },
      { organizationId: ctx.access.organizationId, appId: ctx.access.appId },
      { type: 'user', id: ctx.user.id, label: ctx.user.email },
    );
    return result;
  });
export { TRPCError };
