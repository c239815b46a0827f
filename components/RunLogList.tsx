'use client';

import { useState } from 'react';

import { emptyView, type ExplorerView } from './logs/explorerView';
import { LogExplorer } from './logs/LogExplorer';

interface RunLogListProps {
  appId: number;
  /** The master action whose runs (master and production) are shown. */
  actionId: number;
}

/**
 * The action editor's run log: the log explorer with its action fixed. Its view stays in this
 * component rather than the URL, which belongs to the editor; "Open in log explorer" carries
 * the filters over to the app-wide explorer.
 */
export function RunLogList({ appId, actionId }: RunLogListProps) {
  const [view, setView] = useState<ExplorerView>(emptyView);
  return (
    <LogExplorer
      appId={appId}
      view={view}
      onViewChange={setView}
      fixedActionId={actionId}
      title="Run log"
      headingLevel={2}
      listLabel="Run log"
      pageSize={20}
      compact
    />
  );
}
