import Link from 'next/link';

import { viewToSearch, type ExplorerView } from './explorerView';

interface ExplorerHeaderProps {
  appId: number;
  headingId: string;
  title: string;
  headingLevel: 1 | 2;
  view: ExplorerView;
  fixedActionId: number | undefined;
  autoRefresh: boolean;
  onAutoRefresh: (on: boolean) => void;
}

/** Title, the auto-refresh switch and, for one action's log, the way to the full explorer. */
export function ExplorerHeader(props: ExplorerHeaderProps) {
  const { appId, view, fixedActionId } = props;
  const Heading = props.headingLevel === 1 ? 'h1' : 'h2';
  // The full explorer gets the filters only: not this list's page or open run.
  const linkView = { ...view, actionId: fixedActionId, before: undefined, after: undefined };
  const explorerHref = `/apps/${appId}/logs?${viewToSearch({ ...linkView, run: undefined })}`;
  return (
    <header className="flex flex-wrap items-center justify-between gap-2">
      <Heading
        id={props.headingId}
        className={props.headingLevel === 1 ? 'text-xl font-semibold' : 'font-semibold'}
      >
        {props.title}
      </Heading>
      <div className="flex items-center gap-3 text-sm">
        <label className="flex items-center gap-1.5 text-slate-700">
          <input
            type="checkbox"
            checked={props.autoRefresh}
            onChange={(event) => props.onAutoRefresh(event.target.checked)}
          />
          Auto-refresh
        </label>
        {fixedActionId !== undefined ? (
          <Link href={explorerHref} className="text-indigo-700 hover:underline">
            Open in log explorer
          </Link>
        ) : null}
      </div>
    </header>
  );
}
