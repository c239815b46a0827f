import type { Role } from '../db/schema';

export type { Role };

/**
 * What a caller may do to an app:
 * - `read`: see actions, their code and versions, run logs, data sources and their entries;
 * - `edit`: create, save, restore and remove actions; create data sources, change entries;
 * - `run`: run actions on demand, including edited code from the editor's test panel;
 * - `publish`: copy a master to production or take it off;
 * - `rerun`: run a logged run again with its payload;
 * - `manage`: users, API tokens, the audit trail, publishing the app itself.
 */
export const permissions = ['read', 'edit', 'run', 'publish', 'rerun', 'manage'] as const;
export type Permission = (typeof permissions)[number];

export const roles = ['admin', 'builder', 'support', 'viewer'] as const satisfies readonly Role[];

/**
 * The one table of who may do what. Support staff read code and logs and re-run failed runs,
 * but cannot run the test panel: it runs the editor's master code, which is a way to run code
 * of their choosing once someone else saved it, and a test run has side effects (emails, data).
 */
const grants: Record<Role, readonly Permission[]> = {
  admin: ['read', 'edit', 'run', 'publish', 'rerun', 'manage'],
  builder: ['read', 'edit', 'run', 'publish', 'rerun'],
  support: ['read', 'rerun'],
  viewer: ['read'],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...grants[role]];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value);
}
