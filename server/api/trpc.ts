import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

import type { Database } from '../db/client';
import { isAppError } from '../errors';
import { logger } from '../log';

/** What every procedure gets; built without HTTP so tests can call procedures directly. */
export interface TrpcContext {
  db: Database;
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

const t = initTRPC.context<TrpcContext>().create({
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

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const procedure = t.procedure.use(appErrors);
export { TRPCError };
