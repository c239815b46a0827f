'use client';

import { loader } from '@monaco-editor/react';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef } from 'react';

import { lintActionCode } from '@/server/actions/lint';
import { actionTypings } from '@/server/actions/typings';

import { fieldOfError } from './actionDraft';
import { ActionSettings } from './ActionSettings';
import { useCan } from './auth/useCan';
import type { ActionObject } from './apiTypes';
import { CodeEditor, type CodeEditorHandle } from './CodeEditor';
import { DependencyPicker } from './DependencyPicker';
import { FieldError } from './Field';
import { HistoryPanel } from './HistoryPanel';
import { LintSummary } from './LintSummary';
import { productErrorOf } from './productError';
import { PublishControl } from './PublishControl';
import { RunLogList } from './RunLogList';
import { TestPanel } from './TestPanel';
import { TriggerEditor } from './TriggerEditor';
import { useTRPC } from './TrpcProvider';
import { useActionDraft } from './useActionDraft';
import { useSaveShortcut } from './useSaveShortcut';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';
import { primaryButton } from './styles';
import './monacoLoader';

/** The editor page: loads the action once, then hands it to the workspace that edits it. */
export function ActionEditor({ appId, actionId }: { appId: number; actionId: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.actions.get.queryOptions({ appId, id: actionId }));
  // Monaco is the largest download of the page: fetch it while the action loads, not after.
  useEffect(() => {
    loader.init().catch(() => undefined);
  }, []);
  if (query.isPending) return <p className="text-slate-500">Loading the action…</p>;
  if (query.isError) {
    const error = productErrorOf(query.error);
    return (
      <p role="alert" className="text-red-700">
        Could not open action {actionId}: {error.message}
      </p>
    );
  }
  return <ActionWorkspace key={actionId} appId={appId} action={query.data.action} />;
}

interface WorkspaceProps {
  appId: number;
  /** The stored action when the page opened; later refetches do not overwrite the draft. */
  action: ActionObject;
}

function ActionWorkspace({ appId, action }: WorkspaceProps) {
  const editing = useActionDraft(appId, action);
  const { draft, change, dirty, save, saving, saveError, errorFor } = editing;
  const editor = useRef<CodeEditorHandle | null>(null);
  // What the role allows is hidden, not offered to fail: the server refuses it regardless.
  const canEdit = useCan('edit', appId);
  const canRun = useCan('run', appId);
  // Lint on a deferred copy so typing stays smooth in long code; the markers follow a beat later.
  const code = useDeferredValue(draft.code);
  const lint = useMemo(() => lintActionCode(code, draft.dependencies), [code, draft.dependencies]);
  const typings = useMemo(
    () => actionTypings({ triggers: draft.triggers, dependencies: draft.dependencies }),
    [draft.triggers, draft.dependencies],
  );
  const generalError = saveError && fieldOfError(saveError.status) === null ? saveError : null;
  const reveal = useCallback((line: number, column: number) => {
    editor.current?.reveal(line, column);
  }, []);
  const restored = useCallback(
    (saved: ActionObject) => {
      editing.resetTo(saved);
      editor.current?.replaceCode(saved.code);
    },
    [editing],
  );

  useUnsavedChangesGuard(dirty && canEdit);
  useSaveShortcut(() => {
    if (canEdit) void save();
  });

  return (
    <div className="grid gap-4">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
            <Link href={`/apps/${appId}/actions`} className="hover:underline">
              Actions
            </Link>{' '}
            / <span aria-current="page">{action.name}</span>
          </nav>
          <h1 className="truncate text-xl font-semibold">{draft.name || action.name}</h1>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <PublishControl appId={appId} actionId={action.id} dirty={dirty} />
          {canEdit ? (
            <>
              <p
                aria-live="polite"
                className={`text-sm ${dirty ? 'text-amber-700' : 'text-slate-500'}`}
              >
                {saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'All changes saved'}
              </p>
              <button
                type="button"
                onClick={() => void save()}
                disabled={saving}
                aria-keyshortcuts="Control+S Meta+S"
                className={primaryButton}
              >
                Save
              </button>
            </>
          ) : (
            <p className="text-sm text-slate-500">Read only: your role cannot edit actions.</p>
          )}
        </div>
        {generalError ? (
          <p role="alert" className="basis-full text-sm text-red-700">
            Not saved: {generalError.message}
          </p>
        ) : null}
      </header>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(20rem,1fr)]">
        <section aria-labelledby="code-heading" className="grid min-w-0 content-start gap-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="code-heading" className="font-semibold">
              Code
            </h2>
            {/* Monaco keeps Tab for indenting; keyboard users need its way out. */}
            <p id="code-keys" className="text-xs text-slate-500">
              Ctrl/Cmd+S saves · Ctrl+. shows quick fixes · Ctrl+Space completes · Ctrl+M
              (Ctrl+Shift+M on Mac) makes Tab move focus
            </p>
          </div>
          <CodeEditor
            initialValue={action.code}
            onChange={(next) => change({ code: next })}
            errors={lint.errors}
            warnings={lint.warnings}
            typings={typings}
            onDependencyChange={editing.changeDependency}
            onReady={(handle) => {
              editor.current = handle;
            }}
            label="Action code"
            describedBy="code-keys code-problems"
            readOnly={!canEdit}
          />
          <FieldError id="code-error" message={errorFor('code')} />
          <LintSummary id="code-problems" report={lint} />
        </section>
        <aside aria-label="Settings" className="grid min-w-0 content-start gap-4">
          <ActionSettings draft={draft} onChange={change} errorFor={errorFor} />
          <TriggerEditor
            appId={appId}
            triggers={draft.triggers}
            environment={draft.environment}
            onChange={(triggers) => change({ triggers })}
            error={errorFor('triggers')}
          />
          <DependencyPicker
            dependencies={draft.dependencies}
            environment={draft.environment}
            requiredPackages={lint.requiredPackages}
            unusedPackages={lint.unusedPackages}
            onChange={(dependencies) => change({ dependencies })}
            error={errorFor('dependencies')}
          />
        </aside>
      </div>

      <div className="grid items-start gap-4 lg:grid-cols-2">
        {canRun ? (
          <TestPanel
            appId={appId}
            actionId={action.id}
            name={editing.stored.name}
            triggers={draft.triggers}
            dirty={dirty}
            save={save}
            onReveal={reveal}
          />
        ) : null}
        <RunLogList appId={appId} actionId={action.id} />
      </div>

      <HistoryPanel
        appId={appId}
        actionId={action.id}
        draft={draft}
        dirty={dirty}
        onRestored={restored}
      />
    </div>
  );
}
