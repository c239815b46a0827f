'use client';

import { secondaryButton } from './styles';

interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** Loads the next (older) keyset page of a newest-first list, while there is one. */
export function OlderPageButton({ pages, label }: { pages: PagedQuery; label: string }) {
  if (!pages.hasNextPage) return null;
  return (
    <div>
      <button
        type="button"
        className={secondaryButton}
        disabled={pages.isFetchingNextPage}
        onClick={() => void pages.fetchNextPage()}
      >
        {label}
      </button>
    </div>
  );
}
