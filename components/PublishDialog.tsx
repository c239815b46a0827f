'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { settingsJson } from './actionSnapshot';
import type { ActionObject } from './apiTypes';
import { ConfirmDialog } from './ConfirmDialog';
import { DiffView } from './DiffView';
import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';

interface PublishDialogProps {
  appId: number;
  /** The saved master, which publishing copies. */
  master: ActionObject;
  production: ActionObject | null;
  onClose: () => void;
}

/** What publishing will change in production, as a diff, before it does. */
export function PublishDialog({ appId, master, production, onClose }: PublishDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const publish = useMutation(
    trpc.actions.publish.mutationOptions({
      onSuccess: async () => {
        await Promise.all(
          [trpc.actions.get, trpc.actions.overview, trpc.actions.versions].map((procedure) =>
            queryClient.invalidateQueries({ queryKey: procedure.queryKey() }),
          ),
        );
        onClose();
      },
      // A refusal may mean the app was unpublished meanwhile; the button's reason follows.
      onError: () => queryClient.invalidateQueries({ queryKey: trpc.apps.get.queryKey() }),
    }),
  );
  const error = publish.error ? productErrorOf(publish.error) : null;
  const productionLabel = production ? 'Production now' : 'Production (none yet)';

  return (
    <ConfirmDialog
      title={`Publish ${master.name}?`}
      confirmLabel="Publish"
      wide
      busy={publish.isPending}
      error={error ? `${error.status}: ${error.message}` : null}
      onCancel={onClose}
      onConfirm={() => publish.mutate({ appId, id: master.id })}
    >
      <p className="text-sm">
        Live apps, schedules and log triggers run the production version. Publishing replaces it
        with the saved master:
      </p>
      <DiffView
        label="Code"
        language="javascript"
        original={production?.code ?? ''}
        modified={master.code}
        originalLabel={productionLabel}
        modifiedLabel="Saved master (to publish)"
      />
      <DiffView
        label="Settings"
        language="json"
        original={settingsJson(production)}
        modified={settingsJson(master)}
        originalLabel={productionLabel}
        modifiedLabel="Saved master (to publish)"
      />
    </ConfirmDialog>
  );
}
