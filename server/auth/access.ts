import { and, asc, eq, isNotNull, or } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

import type { Db } from '../db/client';
import { appMemberships, apps, memberships, organizations, type Role } from '../db/schema';
import { AppError } from '../errors';
import { can, permissionsOf, type Permission } from './permissions';

/** What one caller may do where: found from memberships, or from an API token's scope. */
export interface Access {
  role: Role;
  organizationId: number;
  /** Set when the access is to one app rather than to the whole organisation. */
  appId: number | null;
}

/**
 * Apps with `fields`, plus the user's app role and organisation role there (each null when the
 * user has no such membership). One query for single-app checks and for the app list, so both
 * read the same two memberships; callers let the app role win over the organisation role.
 */
function appsWithRoles<Fields extends Record<string, PgColumn>>(
  db: Db,
  userId: string,
  fields: Fields,
) {
  return db
    .select({ ...fields, appRole: appMemberships.role, orgRole: memberships.role })
    .from(apps)
    .leftJoin(
      appMemberships,
      and(eq(appMemberships.appId, apps.id), eq(appMemberships.userId, userId)),
    )
    .leftJoin(
      memberships,
      and(eq(memberships.organizationId, apps.organizationId), eq(memberships.userId, userId)),
    );
}

/**
 * A user's role on an app: the app's own membership when there is one (it replaces the
 * organisation role there), else the organisation role. Null when the user has neither, or the
 * app does not exist: callers answer both the same way.
 */
export async function appAccess(db: Db, userId: string, appId: number): Promise<Access | null> {
  const [row] = await appsWithRoles(db, userId, { organizationId: apps.organizationId }).where(
    eq(apps.id, appId),
  );
  const role = row?.appRole ?? row?.orgRole ?? null;
  return row && role ? { role, organizationId: row.organizationId, appId } : null;
}

export async function organizationAccess(
  db: Db,
  userId: string,
  organizationId: number,
): Promise<Access | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)));
  return row ? { role: row.role, organizationId, appId: null } : null;
}

/**
 * Refuses unless `access` grants `permission`. No access at all answers as if the app or
 * organisation did not exist, so nobody learns which ids are taken by other tenants.
 */
export function requirePermission(
  access: Access | null,
  permission: Permission,
  missing: () => AppError,
): Access {
  if (!access) throw missing();
  if (!can(access.role, permission)) {
    throw new AppError(
      'FORBIDDEN',
      `The ${access.role} role cannot ${permissionVerbs[permission]} here`,
      { details: { role: access.role, permission } },
    );
  }
  return access;
}

const permissionVerbs: Record<Permission, string> = {
  read: 'read',
  edit: 'edit actions',
  run: 'run actions',
  publish: 'publish or unpublish actions',
  rerun: 're-run runs',
  manage: 'manage users, tokens and settings',
};

export function appNotFound(appId: number): AppError {
  return new AppError('APP_NOT_FOUND', `App ${appId} was not found`);
}

export function organizationNotFound(organizationId: number): AppError {
  return new AppError('ORGANIZATION_NOT_FOUND', `Organisation ${organizationId} was not found`);
}

export interface AppWithRole {
  id: number;
  organizationId: number;
  name: string;
  publishedAt: Date | null;
  role: Role;
}

/** Every app the user can open, with the role they have there. */
export async function appsOf(db: Db, userId: string): Promise<AppWithRole[]> {
  const rows = await appsWithRoles(db, userId, {
    id: apps.id,
    organizationId: apps.organizationId,
    name: apps.name,
    publishedAt: apps.publishedAt,
  })
    .where(or(isNotNull(appMemberships.role), isNotNull(memberships.role)))
    .orderBy(asc(apps.id));
  return rows.flatMap(({ appRole, orgRole, ...app }) => {
    const role = appRole ?? orgRole;
    return role ? [{ ...app, role }] : [];
  });
}

export interface OrganizationWithRole {
  id: number;
  name: string;
  role: Role;
}

/** The organisations the user is a member of (app-only access does not count). */
export async function organizationsOf(db: Db, userId: string): Promise<OrganizationWithRole[]> {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.id));
}

/** What the admin UI shows and hides for one user: `auth.me`. */
export async function describeAccess(db: Db, userId: string) {
  const [orgs, appList] = await Promise.all([organizationsOf(db, userId), appsOf(db, userId)]);
  return {
    organizations: orgs.map((org) => ({ ...org, permissions: permissionsOf(org.role) })),
    apps: appList.map((app) => ({
      id: app.id,
      organizationId: app.organizationId,
      name: app.name,
      role: app.role,
      permissions: permissionsOf(app.role),
    })),
  };
}
