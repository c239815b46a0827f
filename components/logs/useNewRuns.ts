'use client';

import { useEffect, useRef, useState } from 'react';

import type { ExplorerRow } from './explorerView';

interface NewRuns {
  ids: ReadonlySet<number>;
  /** For a polite live region: "2 new runs", or empty. */
  announcement: string;
}

const none: NewRuns = { ids: new Set(), announcement: '' };

/**
 * Which rows arrived since the same list (same filters and page, named by `key`) was last
 * shown: auto-refresh and re-runs put rows on top, and they are marked and announced.
 */
export function useNewRuns(rows: readonly ExplorerRow[] | undefined, key: string): NewRuns {
  const seen = useRef<{ key: string; ids: Set<number> } | null>(null);
  const [fresh, setFresh] = useState<NewRuns>(none);

  useEffect(() => {
    if (!rows) return;
    const previous = seen.current;
    seen.current = { key, ids: new Set(rows.map((row) => row.id)) };
    if (!previous || previous.key !== key) {
      setFresh(none);
      return;
    }
    const added = rows.filter((row) => !previous.ids.has(row.id));
    if (added.length === 0) return;
    const count = `${added.length} new run${added.length === 1 ? '' : 's'}`;
    setFresh({ ids: new Set(added.map((row) => row.id)), announcement: count });
  }, [rows, key]);

  return fresh;
}
