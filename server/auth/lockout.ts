import { createHash } from 'node:crypto';

import { APIError, createAuthMiddleware } from 'better-auth/api';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';

import type { Database } from '../db/client';
import { rateLimits } from '../db/schema';

const SIGN_IN_PATH = '/sign-in/email';
const WINDOW_SECONDS = 15 * 60;

/** Sign-in attempts one account accepts per 15 minutes before it is locked until they expire. */
export function lockoutAttempts(): number {
  const configured = Number(process.env.AUTH_LOCKOUT_ATTEMPTS);
  return Number.isInteger(configured) && configured > 0 ? configured : 10;
}

/**
 * better-auth limits sign-in per client address only, and the address comes from a header a
 * client can set when nothing in front of the server overwrites it. This adds a limit per
 * account: after too many attempts on one email within the window, sign-in for that email is
 * refused (429) until the window passes; a successful sign-in clears the count.
 */
export function signInLockout(database: Database) {
  const limiter = new RateLimiterDrizzle({
    storeClient: database,
    schema: rateLimits,
    keyPrefix: 'sign-in',
    points: lockoutAttempts(),
    duration: WINDOW_SECONDS,
    clearExpiredByTimeout: false,
  });

  const before = createAuthMiddleware(async (ctx) => {
    if (ctx.path !== SIGN_IN_PATH) return;
    const key = accountKey(ctx.body);
    if (!key) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const minutes = Math.max(1, Math.ceil(rejection.msBeforeNext / 60_000));
      throw new APIError('TOO_MANY_REQUESTS', {
        code: 'ACCOUNT_LOCKED',
        message: `Too many sign-in attempts for this account. Try again in ${minutes} min.`,
      });
    }
  });

  const after = createAuthMiddleware(async (ctx) => {
    if (ctx.path !== SIGN_IN_PATH || !ctx.context.newSession) return;
    const key = accountKey(ctx.body);
    if (key) await limiter.delete(key);
  });

  return { before, after };
}

/** The limiter's key: a hash of the lower-cased email, so the table holds no addresses. */
function accountKey(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('email' in body)) return null;
  const email = body.email;
  if (typeof email !== 'string' || email === '') return null;
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
