import { randomBytes } from 'node:crypto';

import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';

import type { Db } from '../db/client';
import { apiTokens, apps, type Role } from '../db/schema';
import { AppError } from '../errors';
import { hashToken } from './auth';

/**
 * Creates an API token for an app or an organisation; the token is returned once, stored hashed.
 * Its role bounds what it may do (server/auth/permissions.ts); builder unless said otherwise.
 */
export async function createApiToken(
  db: Db,
  scope: { appId: number } | { organizationId: number },
  name: string,
  role: Role = 'builder',
): Promise<{ id: number; token: string }> {
  const token = `aa_${randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({ ...scope, name, role, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id });
  if (!row) throw new Error('The token was not stored');
  return { id: row.id, token };
}

/**
 * Settings → API tokens: a token for the organisation, or for one of its apps. The caller
 * checked that `appId` belongs to the organisation (the tRPC authorisation does).
 */
export async function createOrganizationToken(
  db: Db,
  input: { organizationId: number; appId?: number | undefined; name: string; role: Role },
) {
  const scope =
    input.appId === undefined ? { organizationId: input.organizationId } : { appId: input.appId };
  const created = await createApiToken(db, scope, input.name, input.role);
  return { ...created, name: input.name, role: input.role, appId: input.appId ?? null };
}

/** The organisation's tokens and its apps' tokens, newest first; never the secret. */
export async function listTokens(db: Db, organizationId: number) {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      appId: apiTokens.appId,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(ofOrganization(db, organizationId))
    .orderBy(desc(apiTokens.id))
    .limit(500);
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}

/** Ends a token: from now on it answers 401 UNAUTHORIZED. Revoking twice changes nothing. */
export async function revokeToken(db: Db, organizationId: number, id: number) {
  const [found] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), ofOrganization(db, organizationId)));
  if (!found) throw new AppError('NOT_FOUND', `No token ${id} in this organisation`);
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  return { id };
}

/** Tokens of the organisation itself and of any of its apps. */
function ofOrganization(db: Db, organizationId: number) {
  const orgApps = db
    .select({ id: apps.id })
    .from(apps)
    .where(eq(apps.organizationId, organizationId));
  return or(eq(apiTokens.organizationId, organizationId), inArray(apiTokens.appId, orgApps));
}
