import { secondaryButton } from '../styles';

interface ExplorerPagerProps {
  older: number | null;
  newer: number | null;
  /** Paging back to the newest runs, from a page further down. */
  onNewest: (() => void) | null;
  onOlder: (cursor: number) => void;
  onNewer: (cursor: number) => void;
}

/** Keyset paging: newer and older pages by cursor, and a way back to the newest runs. */
export function ExplorerPager({ older, newer, onNewest, onOlder, onNewer }: ExplorerPagerProps) {
  if (older === null && newer === null && !onNewest) return null;
  return (
    <nav aria-label="Pages of runs" className="flex flex-wrap justify-end gap-2 p-2">
      {onNewest ? (
        <button type="button" className={secondaryButton} onClick={onNewest}>
          Newest runs
        </button>
      ) : null}
      <button
        type="button"
        className={secondaryButton}
        disabled={newer === null}
        onClick={() => newer !== null && onNewer(newer)}
      >
        ← Newer
      </button>
      <button
        type="button"
        className={secondaryButton}
        disabled={older === null}
        onClick={() => older !== null && onOlder(older)}
      >
        Older →
      </button>
    </nav>
  );
}
