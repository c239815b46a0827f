'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import type { ActionDraft } from './actionDraft';
import type { ActionObject, ActionVersion } from './apiTypes';
import { formatTime } from './formatters';
import { productErrorOf } from './productError';
import { useCan } from './auth/useCan';
import { RestoreDialog } from './RestoreDialog';
import { useTRPC } from './TrpcProvider';
import { VersionCompare } from './VersionCompare';
import { secondaryButton } from './styles';

interface HistoryPanelProps {
  appId: number;
  actionId: number;
  /** What the editor holds now, which a version is compared with. */
  draft: ActionDraft;
  dirty: boolean;
  onRestored: (action: ActionObject) => void;
}

const kindLabels: Record<ActionVersion['kind'], string> = {
  saved: 'Saved',
  published: 'Published',
  restored: 'Restored',
};

/** Every saved, published and restored state of the action; compare one, bring one back. */
export function HistoryPanel({ appId, actionId, draft, dirty, onRestored }: HistoryPanelProps) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.actions.versions.queryOptions({ appId, id: actionId }));
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [restoring, setRestoring] = useState<ActionVersion | null>(null);
  const list = versions.data ?? [];
  const selected = list.find((version) => version.id === selectedId) ?? null;
  const canEdit = useCan('edit', appId);

  return (
    <section
      aria-labelledby="history-heading"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3"
    >
      <h2 id="history-heading" className="font-semibold">
        History
      </h2>
      {versions.isPending ? <p className="text-sm text-slate-500">Loading the history…</p> : null}
      {versions.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load the history: {productErrorOf(versions.error).message}
        </p>
      ) : null}
      {versions.isSuccess && list.length === 0 ? (
        <p className="text-sm text-slate-500">No versions yet: each save adds one.</p>
      ) : null}
      {list.length > 0 ? (
        <div className="grid gap-3 lg:grid-cols-[18rem_minmax(0,1fr)]">
          <ol aria-label="Versions" className="grid max-h-96 content-start gap-1 overflow-auto">
            {list.map((version, index) => (
              <li key={version.id}>
                <button
                  type="button"
                  aria-pressed={version.id === selectedId}
                  onClick={() => setSelectedId(version.id)}
                  className={`grid w-full gap-0.5 rounded border px-2 py-1 text-left text-sm ${
                    version.id === selectedId
                      ? 'border-indigo-500 bg-indigo-50'
                      : 'border-slate-200 hover:bg-slate-50'
                  }`}
                >
                  <span className="font-medium">
                    #{version.id} {kindLabels[version.kind]}
                    {index === 0 ? <span className="text-slate-500"> (newest)</span> : null}
                  </span>
                  <time dateTime={version.createdAt} className="text-xs text-slate-500">
                    {formatTime(version.createdAt)}
                  </time>
                </button>
              </li>
            ))}
          </ol>
          {selected ? (
            <div className="grid min-w-0 content-start gap-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm">
                  Version #{selected.id} compared with what the editor holds now.
                </p>
                {canEdit ? (
                  <button
                    type="button"
                    onClick={() => setRestoring(selected)}
                    className={secondaryButton}
                  >
                    Restore version #{selected.id}…
                  </button>
                ) : null}
              </div>
              <VersionCompare version={selected} draft={draft} />
            </div>
          ) : (
            <p className="text-sm text-slate-500">
              Choose a version to compare it with the editor.
            </p>
          )}
        </div>
      ) : null}
      {restoring ? (
        <RestoreDialog
          appId={appId}
          version={restoring}
          dirty={dirty}
          onClose={() => setRestoring(null)}
          onRestored={(action) => {
            setRestoring(null);
            setSelectedId(null);
            onRestored(action);
          }}
        />
      ) : null}
    </section>
  );
}
