import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';

import { db } from '../db/client';
import { rateLimits } from '../db/schema';
import { AppError } from '../errors';

/** The three budgets of the public API; each is per app and per 60 seconds. */
export type RateLimitKind = 'crud' | 'run' | 'publish';

const WINDOW_SECONDS = 60;

const defaults: Record<RateLimitKind, { variable: string; points: number }> = {
  crud: { variable: 'ACTIONS_RATE_LIMIT_CRUD', points: 60 },
  run: { variable: 'ACTIONS_RATE_LIMIT_RUN', points: 30 },
  publish: { variable: 'ACTIONS_RATE_LIMIT_PUBLISH', points: 10 },
};

export function rateLimitPoints(kind: RateLimitKind): number {
  const { variable, points } = defaults[kind];
  const configured = Number(process.env[variable]);
  return Number.isInteger(configured) && configured > 0 ? configured : points;
}

const limiters = new Map<RateLimitKind, RateLimiterDrizzle>();

function limiter(kind: RateLimitKind): RateLimiterDrizzle {
  let found = limiters.get(kind);
  if (!found) {
    // Counters live in Postgres so that every web process draws on the same budget.
    found = new RateLimiterDrizzle({
      storeClient: db(),
      schema: rateLimits,
      keyPrefix: `actions-${kind}`,
      points: rateLimitPoints(kind),
      duration: WINDOW_SECONDS,
      clearExpiredByTimeout: false,
    });
    limiters.set(kind, found);
  }
  return found;
}

/** Spends one request of an app's budget, or refuses with 429 and when to retry. */
export async function consumeRateLimit(kind: RateLimitKind, appId: number): Promise<void> {
  try {
    await limiter(kind).consume(String(appId));
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new AppError(
      'RATE_LIMITED',
      `Too many ${kind} requests for this app: the limit is ${rateLimitPoints(kind)} per ` +
        `${WINDOW_SECONDS} seconds. Retry in ${retryAfterSeconds} s`,
      { details: { retryAfterSeconds } },
    );
  }
}
