import { randomBytes } from 'node:crypto';

import type { Db } from '../db/client';
import { apiTokens } from '../db/schema';
import { hashToken } from './auth';

/** Creates an API token for an app or an organisation; the token is returned once, stored hashed. */
export async function createApiToken(
  db: Db,
  scope: { appId: number } | { organizationId: number },
  name: string,
): Promise<{ id: number; token: string }> {
  const token = `aa_${randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({ ...scope, name, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id });
  if (!row) throw new Error('The token was not stored');
  return { id: row.id, token };
}
