import { auth } from '../auth/auth';
import type { Database } from '../db/client';

/** The signed-in person, as procedures see them. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/** The session the request came with; its token never leaves better-auth. */
export interface SessionInfo {
  id: string;
  expiresAt: Date;
}

/** What every procedure gets; built without HTTP so tests can call procedures directly. */
export interface TrpcContext {
  db: Database;
  session: SessionInfo | null;
  user: SessionUser | null;
}

/**
 * The inner context: a database and who is calling (null: nobody signed in). Tests build it for
 * a user of their choice and call procedures through `createCaller`.
 */
export function createInnerContext(
  db: Database,
  signedIn: { user: SessionUser; session: SessionInfo } | null,
): TrpcContext {
  return { db, user: signedIn?.user ?? null, session: signedIn?.session ?? null };
}

/** The outer context of an HTTP request: the session its cookie names, if it is valid. */
export async function createRequestContext(db: Database, headers: Headers): Promise<TrpcContext> {
  const found = await auth().api.getSession({ headers });
  if (!found) return createInnerContext(db, null);
  const { user, session } = found;
  return createInnerContext(db, {
    user: { id: user.id, email: user.email, name: user.name },
    session: { id: session.id, expiresAt: session.expiresAt },
  });
}
