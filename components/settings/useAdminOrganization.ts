'use client';

import { useMe } from '../auth/useCan';

/**
 * The organisations the user administers, and the one the settings pages show: the one named
 * in the address (`?org=`) when the user administers it, else the first.
 */
export function useAdminOrganization(requested: number | null) {
  const me = useMe();
  const organizations = (me.data?.organizations ?? []).filter((org) =>
    org.permissions.includes('manage'),
  );
  const current = organizations.find((org) => org.id === requested) ?? organizations[0] ?? null;
  const apps = (me.data?.apps ?? []).filter((app) => app.organizationId === current?.id);
  return { pending: me.isPending, organizations, current, apps };
}
