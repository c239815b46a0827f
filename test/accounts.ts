import { randomUUID } from 'node:crypto';

import { createInnerContext, type TrpcContext } from '../server/api/context';
import { insertUser } from '../server/auth/users';
import type { Database } from '../server/db/client';
import { appMemberships, memberships, organizations, type Role } from '../server/db/schema';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  name: string;
}

/** A user who signs in with TEST_PASSWORD, with the given roles. */
export async function createTestUser(
  db: Database,
  roles: { organizations?: [number, Role][]; apps?: [number, Role][] } = {},
): Promise<TestUser> {
  const email = `user-${randomUUID().slice(0, 8)}@example.com`;
  const name = 'Test user';
  const id = await insertUser(db, { email, name, password: TEST_PASSWORD });
  for (const [organizationId, role] of roles.organizations ?? []) {
    await db.insert(memberships).values({ userId: id, organizationId, role });
  }
  for (const [appId, role] of roles.apps ?? []) {
    await db.insert(appMemberships).values({ userId: id, appId, role });
  }
  return { id, email, name };
}

/** The context a signed-in request of `user` gets, without HTTP or a real session. */
export function contextFor(db: Database, user: TestUser): TrpcContext {
  return createInnerContext(db, {
    user,
    session: { id: `test-${user.id}`, expiresAt: new Date(Date.now() + 60 * 60 * 1000) },
  });
}

/** A context for an admin of every organisation that exists now. */
export async function adminContext(db: Database): Promise<TrpcContext> {
  const orgs = await db.select({ id: organizations.id }).from(organizations);
  const user = await createTestUser(db, {
    organizations: orgs.map((org): [number, Role] => [org.id, 'admin']),
  });
  return contextFor(db, user);
}
