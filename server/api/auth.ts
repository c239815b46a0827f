import { createHash, timingSafeEqual } from 'node:crypto';

import { and, eq, isNull } from 'drizzle-orm';

import { getApp } from '../apps/service';
import type { Db } from '../db/client';
import { apiTokens } from '../db/schema';
import { env } from '../env';
import { AppError } from '../errors';

/** The demo app that DEV_API_TOKEN opens, as seeded on first start. */
export const DEMO_APP_ID = 1;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hashToken(a));
  const right = Buffer.from(hashToken(b));
  return timingSafeEqual(left, right);
}

/**
 * Checks that `token` may act on `appId`. A token for another app or organisation answers as if
 * the app did not exist, so tokens cannot be used to discover other tenants.
 */
export async function authorizeApp(db: Db, token: string | null, appId: number): Promise<void> {
  if (!token) {
    throw new AppError('UNAUTHORIZED', 'Send an API token in the Auth-token header');
  }
  const devToken = env().DEV_API_TOKEN;
  if (devToken && sameSecret(token, devToken)) {
    if (appId !== DEMO_APP_ID) throw notFound(appId);
    return;
  }
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) throw new AppError('UNAUTHORIZED', 'The API token is not valid');
  if (row.appId === appId) return;
  if (row.organizationId !== null) {
    const app = await getApp(db, appId).catch(() => null);
    if (app && app.organizationId === row.organizationId) return;
  }
  throw notFound(appId);
}

function notFound(appId: number): AppError {
  return new AppError('APP_NOT_FOUND', `App ${appId} was not found`);
}
