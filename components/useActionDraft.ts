'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';

import {
  bodyOf,
  draftOf,
  fieldOfError,
  sameDraft,
  type ActionDraft,
  type ActionField,
} from './actionDraft';
import type { ActionObject } from './apiTypes';
import type { DependencyChange } from './monacoQuickFixes';
import { productErrorOf, type ProductError } from './productError';
import { useTRPC } from './TrpcProvider';

/**
 * The draft being edited, the last stored version, and saving between them. A save error is
 * kept until the field it concerns changes or the next save, so it stays next to that field.
 */
export function useActionDraft(appId: number, action: ActionObject) {
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

  /** Quick fixes add or drop a package from whatever the list holds at that moment. */
  const changeDependency = useCallback(
    (request: DependencyChange) => {
      const current = latest.current.dependencies;
      const dependencies =
        'add' in request
          ? [...current.filter((name) => name !== request.add), request.add]
          : current.filter((name) => name !== request.remove);
      change({ dependencies });
    },
    [change],
  );

  /** Refreshes every view of this action that the server's answer changes. */
  const refresh = useCallback(
    (saved: ActionObject) => {
      queryClient.setQueryData(trpc.actions.get.queryKey({ appId, id: action.id }), (old) =>
        old ? { ...old, action: saved } : old,
      );
      // The publish state and the history follow from the save; the server computes them.
      void queryClient.invalidateQueries({ queryKey: trpc.actions.get.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.actions.versions.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.actions.overview.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.actions.list.queryKey() });
    },
    [appId, action.id, queryClient, trpc],
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
      refresh(saved);
      return true;
    } catch (error) {
      setSaveError(productErrorOf(error));
      return false;
    }
  }, [appId, action.id, update, replaceDraft, refresh]);

  // One save at a time: Ctrl+S pressed twice, or Run right after Save, share the first one.
  const save = useCallback((): Promise<boolean> => {
    if (!inFlight.current) {
      inFlight.current = send().finally(() => {
        inFlight.current = null;
      });
    }
    return inFlight.current;
  }, [send]);

  /** The server changed the master (a restore): it becomes both the stored and the draft. */
  const resetTo = useCallback(
    (saved: ActionObject) => {
      const next = draftOf(saved);
      setStored(next);
      replaceDraft(next);
      setSaveError(null);
      refresh(saved);
    },
    [replaceDraft, refresh],
  );

  const errorFor = (field: ActionField): string | null =>
    saveError && fieldOfError(saveError.status) === field ? saveError.message : null;

  return {
    draft,
    stored,
    change,
    changeDependency,
    dirty: !sameDraft(draft, stored),
    save,
    saving: update.isPending,
    saveError,
    errorFor,
    resetTo,
  };
}
