import { TRPCError } from '@trpc/server';

import { isAppError } from '../server/errors';

/** The product's status code of a failed procedure call (its tRPC code if it has none). */
export async function statusOf(call: Promise<unknown>): Promise<string> {
  const error: unknown = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error('expected the call to fail');
  return isAppError(error.cause) ? error.cause.status : error.code;
}
