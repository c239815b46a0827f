'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

import type { ViewChange } from './ExplorerFilters';
import { parseView, viewToSearch } from './explorerView';
import { LogExplorer } from './LogExplorer';

/**
 * The app-wide log explorer. Its whole view (filters, page, open run) lives in the query
 * string, so reloading or sharing the address shows the same runs.
 */
export function AppLogExplorer({ appId }: { appId: number }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const view = useMemo(() => parseView(params), [params]);
  const onViewChange = useCallback<ViewChange>(
    (next, history) => {
      const search = viewToSearch(next);
      const href = search ? `${pathname}?${search}` : pathname;
      if (history === 'push') router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [pathname, router],
  );
  return (
    <LogExplorer
      appId={appId}
      view={view}
      onViewChange={onViewChange}
      title="Run logs"
      headingLevel={1}
      listLabel="Runs of this app"
      pageSize={50}
    />
  );
}
