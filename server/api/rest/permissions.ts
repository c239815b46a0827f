import type { Permission } from '../../auth/permissions';

/**
 * What each REST route needs of its token's role, looked up by `METHOD path` as routes.ts
 * registers them. Reading needs `read` and any other method `edit`, unless listed here.
 */
const overrides: Record<string, Permission> = {
  'POST /v3/apps/:appId/actions/:id/publish': 'publish',
  'POST /v3/apps/:appId/actions/:id/unpublish': 'publish',
  'POST /v3/apps/:appId/actions/:nameOrId/run': 'run',
  'POST /v3/apps/:appId/actions/:nameOrId/run-with-result': 'run',
  // A browser reporting a run it made: the run happened already, with the app's run rights.
  'POST /v3/apps/:appId/actions/:id/client-runs': 'run',
  // A find query sent as a body (a `where` is too rich for a query string): a read.
  'POST /v3/apps/:appId/data-sources/:id/entries/query': 'read',
};

export function restPermission(method: string, path: string): Permission {
  return overrides[`${method} ${path}`] ?? (method === 'GET' ? 'read' : 'edit');
}
