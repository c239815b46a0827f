import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';

import type { SessionUser } from '../api/context';
import { REQUESTED_PATH_HEADER } from '../../proxy';
import { db } from '../db/client';
import { appAccess, type Access } from './access';
import { auth } from './auth';

/**
 * Guards for server-rendered pages: the UX half of sign-in. Data is guarded where it is read
 * (tRPC, REST); these send signed-out visitors to /login instead of showing empty pages.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const found = await auth().api.getSession({ headers: await headers() });
  if (!found) return null;
  return { id: found.user.id, email: found.user.email, name: found.user.name };
}

/**
 * The signed-in user, or a redirect to /login that comes back afterwards: to the exact address
 * asked for when the proxy (proxy.ts) passed it on, else to `next`.
 */
export async function requireUser(next: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const requested = (await headers()).get(REQUESTED_PATH_HEADER) ?? next;
    redirect(`/login?next=${encodeURIComponent(safeNextPath(requested))}`);
  }
  return user;
}

/** The user's access to an app; an app they have no role on is a 404, as a missing one is. */
export async function requireAppAccess(appId: number, next: string): Promise<Access> {
  const user = await requireUser(next);
  const access = await appAccess(db(), user.id, appId);
  if (!access) notFound();
  return access;
}

/** Only a path on this site: no scheme, no `//host`, so /login cannot redirect elsewhere. */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';
  const controlOrBackslash = [...value].some((char) => char === '\\' || char.charCodeAt(0) < 32);
  if (controlOrBackslash) return '/';
  return value;
}
