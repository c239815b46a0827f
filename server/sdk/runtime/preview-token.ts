import { and, eq, lt } from 'drizzle-orm';

import { createApiToken } from '../../api/tokens';
import { getApp } from '../../apps/service';
import type { Database } from '../../db/client';
import { apiTokens, type Role } from '../../db/schema';
import { env } from '../../env';
import { logger } from '../../log';

/** How long a token minted for the app preview page lives. */
export const PREVIEW_TOKEN_TTL_MS = 60 * 60 * 1000;
/** The `api_tokens.name` that marks preview tokens, so expired ones can be found and deleted. */
export const PREVIEW_TOKEN_NAME = 'app preview (expires after one hour)';

export interface PreviewToken {
  token: string;
  expiresAt: Date;
}

/**
 * An app token for the admin's app preview page, minted on the server when the page renders:
 * the page needs one to call the REST API as an app would, and DEV_API_TOKEN must never reach
 * a browser. The token covers one app only.
 *
 * Tokens have no expiry column and auth.ts does not check one, so a preview token is ended by
 * deleting its row: by a timer in this process at the end of its life, and by every later mint
 * for tokens whose timer was lost (a restart).
 */
export async function mintPreviewToken(
  db: Database,
  appId: number,
  // The viewer's own role on the app: the page's token must not do more than they may.
  role: Role = 'viewer',
): Promise<PreviewToken> {
  await getApp(db, appId);
  const now = Date.now();
  await deleteExpiredPreviewTokens(db, new Date(now - PREVIEW_TOKEN_TTL_MS));
  const { id, token } = await createApiToken(db, { appId }, PREVIEW_TOKEN_NAME, role);
  const timer = setTimeout(() => {
    db.delete(apiTokens)
      .where(eq(apiTokens.id, id))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not delete a preview token'));
  }, PREVIEW_TOKEN_TTL_MS);
  // The timer must not keep a stopping process alive; the next mint cleans up instead.
  timer.unref();
  return { token, expiresAt: new Date(now + PREVIEW_TOKEN_TTL_MS) };
}

export async function deleteExpiredPreviewTokens(db: Database, createdBefore: Date) {
  await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.name, PREVIEW_TOKEN_NAME), lt(apiTokens.createdAt, createdBefore)));
}

export interface PreviewSession extends PreviewToken {
  /** The limit the page asked for, when it is one the platform allows (1 s up to its own). */
  clientTimeoutMs: number | undefined;
}

const MIN_CLIENT_TIMEOUT_MS = 1000;

/** What the preview page needs from the server: its token and its client time limit. */
export async function previewSession(
  db: Database,
  appId: number,
  requestedTimeoutMs: string | undefined,
  role: Role,
): Promise<PreviewSession> {
  const minted = await mintPreviewToken(db, appId, role);
  const asked = Number(requestedTimeoutMs);
  const allowed =
    Number.isSafeInteger(asked) &&
    asked >= MIN_CLIENT_TIMEOUT_MS &&
    asked <= env().ACTIONS_CLIENT_TIMEOUT_MS;
  return { ...minted, clientTimeoutMs: allowed ? asked : undefined };
}
