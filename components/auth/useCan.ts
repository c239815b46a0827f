'use client';

import { useQuery } from '@tanstack/react-query';

import type { Permission } from '@/server/auth/permissions';

import { useTRPC } from '../TrpcProvider';

/** Who is signed in and what they may do where (`auth.me`), shared by every component. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
}

/**
 * Whether the signed-in user holds `permission` on the app, or with no app in any organisation
 * (for organisation settings). False while loading: controls appear once allowed, never vanish
 * after a click. The server checks every call regardless; this only hides what would fail.
 */
export function useCan(permission: Permission, appId?: number): boolean {
  const me = useMe().data;
  if (!me) return false;
  if (appId === undefined) {
    return me.organizations.some((org) => org.permissions.includes(permission));
  }
  const app = me.apps.find((entry) => entry.id === appId);
  return app?.permissions.includes(permission) ?? false;
}
