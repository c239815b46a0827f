'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';

import { lintActionCode } from '@/server/actions/lint';

import {
  bodyOf,
  draftOf,
  fieldOfError,
  sameDraft,
  type ActionDraft,
  type ActionField,
} from './actionDraft';
import { ActionSettings } from './ActionSettings';
import type { ActionObject } from './apiTypes';
import { CodeEditor } from './CodeEditor';
import { DependencyPicker } from './DependencyPicker';
import { FieldError } from './Field';
import { LintSummary } from './LintSummary';
import { productErrorOf, type ProductError } from './productError';
import { PublishControl } from './PublishControl';
import { RunLogList } from './RunLogList';
import { TestPanel } from './TestPanel';
import { TriggerEditor } from './TriggerEditor';
import { useTRPC } from './TrpcProvider';
import { useSaveShortcut } from './useSaveShortcut';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';
import { primaryButton } from './styles';

/** The editor page: loads the action once, then hands it to the workspace that edits it. */
export function ActionEditor({ appId, actionId }: { appId: number; actionId: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.actions.get.queryOptions({ appId, id: actionId }));
  if (query.isPending) return <p className="text-slate-500">Loading the action…</p>;
  if (query.isError) {
    const error = productErrorOf(query.error);
    return (
      <p role="alert" className="text-red-700">
        Could not open action {actionId}: {error.message}
      </p>
    );
  }
  return (
    <ActionWorkspace
      key={actionId}
      appId={appId}
      action={query.data.action}
      publishedAt={query.data.production?.updatedAt ?? null}
    />
  );
}

interface WorkspaceProps {
  appId: number;
  /** The stored action when the page opened; later refetches do not overwrite the draft. */
  action: ActionObject;
  publishedAt: string | null;
}

function ActionWorkspace({ appId, action, publishedAt }: WorkspaceProps) {
  const { draft, change, dirty, save, saving, saveError, errorFor } = useActionDraft(appId, action);
  // Lint on a deferred copy so typing stays smooth in long code; the markers follow a beat later.
  const code = useDeferredValue(draft.code);
  const lint = useMemo(() => lintActionCode(code, draft.dependencies), [code, draft.dependencies]);
  const generalError = saveError && fieldOfError(saveError.status) === null ? saveError : null;

  useUnsavedChangesGuard(dirty);
  useSaveShortcut(() => void save());

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
          <PublishControl
            appId={appId}
            actionId={action.id}
            publishedAt={publishedAt}
            dirty={dirty}
          />
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
        </div>
        {generalError ? (
          <p role="alert" className="basis-full text-sm text-red-700">
            Not saved: {generalError.message}
          </p>
        ) : null}
      </header>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(18rem,1fr)]">
        <section aria-labelledby="code-heading" className="grid min-w-0 content-start gap-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="code-heading" className="font-semibold">
              Code
            </h2>
            {/* Monaco keeps Tab for indenting; keyboard users need its way out. */}
            <p id="code-keys" className="text-xs text-slate-500">
              Ctrl/Cmd+S saves · Ctrl+M (Ctrl+Shift+M on Mac) makes Tab move focus
            </p>
          </div>
          <CodeEditor
            initialValue={action.code}
            onChange={(next) => change({ code: next })}
            errors={lint.errors}
            warnings={lint.warnings}
            label="Action code"
            describedBy="code-keys code-problems"
          />
          <FieldError id="code-error" message={errorFor('code')} />
          <LintSummary id="code-problems" report={lint} />
        </section>
        <aside aria-label="Settings" className="grid min-w-0 content-start gap-4">
          <ActionSettings draft={draft} onChange={change} errorFor={errorFor} />
          <TriggerEditor
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
        <TestPanel appId={appId} actionId={action.id} dirty={dirty} save={save} />
        <RunLogList appId={appId} actionId={action.id} />
      </div>
    </div>
  );
}

/**
 * The draft being edited, the last stored version, and saving between them. A save error is
 * kept until the field it concerns changes or the next save, so it stays next to that field.
 */
function useActionDraft(appId: number, action: ActionObject) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [stored, setStored] = useState(() => draftOf(action));
  const [draft, setDraft] = useState(stored);
  const [saveError, setSaveError] = useState<ProductError | null>(null);
  const update = useMutation(trpc.actions.update.mutationOptions());
  // The newest draft, updated synchronously on every change: a Ctrl+S that arrives right after
  // the last keystroke must save that keystroke, before React has re-rendered.
  const latest = useRef(draft);
  const inFlight = useRef<Promise<boolean> | null>(null);

  const replaceDraft = useCallback((next: ActionDraft) => {
    latest.current = next;
    setDraft(next);
  }, []);

  const change = useCallback(
    (patch: Partial<ActionDraft>) => {
      replaceDraft({ ...latest.current, ...patch });
      setSaveError((error) => {
        const field = error ? fieldOfError(error.status) : null;
        return field && field in patch ? null : error;
      });
    },
    [replaceDraft],
  );

  const send = useCallback(async (): Promise<boolean> => {
    const sent = latest.current;
    setSaveError(null);
    try {
      const saved = await update.mutateAsync({ appId, id: action.id, data: bodyOf(sent) });
      const next = draftOf(saved);
      setStored(next);
      // Take the server's normalised values, unless the user kept typing during the save.
      if (sameDraft(latest.current, sent)) replaceDraft(next);
      queryClient.setQueryData(trpc.actions.get.queryKey({ appId, id: action.id }), (old) =>
        old ? { ...old, action: saved } : old,
      );
      void queryClient.invalidateQueries({ queryKey: trpc.actions.list.queryKey() });
      return true;
    } catch (error) {
      setSaveError(productErrorOf(error));
      return false;
    }
  }, [appId, action.id, update, queryClient, trpc, replaceDraft]);

  // One save at a time: Ctrl+S pressed twice, or Run right after Save, share the first one.
  const save = useCallback((): Promise<boolean> => {
    if (!inFlight.current) {
      inFlight.current = send().finally(() => {
        inFlight.current = null;
      });
    }
    return inFlight.current;
  }, [send]);

  const errorFor = (field: ActionField): string | null =>
    saveError && fieldOfError(saveError.status) === field ? saveError.message : null;

  return {
    draft,
    change,
    dirty: !sameDraft(draft, stored),
    save,
    saving: update.isPending,
    saveError,
    errorFor,
  };
}
