import Link from 'next/link';

import type { SentBy } from './outboxView';

/** The action and run a message came from, linked to the editor and the run log. */
export function SentByLinks({ appId, sentBy }: { appId: number; sentBy: SentBy | null }) {
  if (!sentBy) {
    return <span className="text-slate-500">Not from a run</span>;
  }
  if (sentBy.logId === null) {
    // The run log row is written when the run ends; until then only the run id is known.
    return (
      <span className="text-slate-500" title={`Run ${sentBy.runId}`}>
        A run not logged yet
      </span>
    );
  }
  return (
    <span className="flex flex-wrap gap-x-2">
      {sentBy.actionId !== null ? (
        <Link
          href={`/apps/${appId}/actions/${sentBy.actionId}`}
          className="text-indigo-700 hover:underline"
        >
          {sentBy.actionName ?? `removed action #${sentBy.actionId}`}
        </Link>
      ) : null}
      <Link
        href={`/apps/${appId}/logs?run=${sentBy.logId}`}
        className="font-mono text-indigo-700 hover:underline"
        aria-label={`Run #${sentBy.logId}`}
      >
        run #{sentBy.logId}
      </Link>
    </span>
  );
}
