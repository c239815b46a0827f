import { createHash, timingSafeEqual } from 'node:crypto';

import { and, eq, isNull } from 'drizzle-orm';

import { appNotFound, requirePermission, type Access } from '../auth/access';
import type { Permission } from '../auth/permissions';
import { appOrganization } from '../apps/service';
import type { Db } from '../db/client';
import { apiTokens, type AuditActor, type Role } from '../db/schema';
import { env } from '../env';
import { AppError } from '../errors';

/** The demo app that DEV_API_TOKEN opens, as seeded on first start. */
export const DEMO_APP_ID = 1;

/** What DEV_API_TOKEN may do: what a builder may, as every token before roles existed. */
export const DEV_TOKEN_ROLE: Role = 'builder';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hashToken(a));
  const right = Buffer.from(hashToken(b));
  return timingSafeEqual(left, right);
}

/** Who a REST call acts as, for the audit trail, and what it may do on the app. */
export interface TokenPrincipal {
  access: Access;
  actor: AuditActor;
}

/**
 * Checks that `token` may do `permission` on `appId`. A token for another app or organisation
 * answers as if the app did not exist, so tokens cannot be used to discover other tenants; a
 * token for this app whose role lacks the permission answers 403 FORBIDDEN.
 */
export async function authorizeApp(
  db: Db,
  token: string | null,
  appId: number,
  permission: Permission,
): Promise<TokenPrincipal> {
  if (!token) {
    throw new AppError('UNAUTHORIZED', 'Send an API token in the Auth-token header');
  }
  const devToken = env().DEV_API_TOKEN;
  if (devToken && sameSecret(token, devToken)) {
    if (appId !== DEMO_APP_ID) throw appNotFound(appId);
    const organizationId = await appOrganization(db, appId);
    const access = { role: DEV_TOKEN_ROLE, organizationId, appId };
    return {
      access: requirePermission(access, permission, () => appNotFound(appId)),
      actor: { type: 'token', id: null, label: 'DEV_API_TOKEN' },
    };
  }
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) throw new AppError('UNAUTHORIZED', 'The API token is not valid');
  const organizationId = await appOrganization(db, appId).catch(() => null);
  const inScope =
    organizationId !== null && (row.appId === appId || row.organizationId === organizationId);
  const access = inScope ? { role: row.role, organizationId, appId } : null;
  return {
    access: requirePermission(access, permission, () => appNotFound(appId)),
    actor: { type: 'token', id: String(row.id), label: row.name },
  };
}
