'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useCan } from './auth/useCan';
import { ConfirmDialog } from './ConfirmDialog';
import { productErrorOf } from './productError';
import { PublishDialog } from './PublishDialog';
import { PublishStateBadge } from './PublishStateBadge';
import { useTRPC } from './TrpcProvider';
import { secondaryButton } from './styles';

interface PublishControlProps {
  appId: number;
  actionId: number;
  /** The editor holds unsaved changes: publishing copies the saved version, so save first. */
  dirty: boolean;
}

/**
 * Where the action stands against production, and the way to publish (after reviewing the
 * diff) or unpublish it (after confirming). A reason that blocks publishing is shown beside the
 * button, not discovered by a failing click.
 */
export function PublishControl({ appId, actionId, dirty }: PublishControlProps) {
  const trpc = useTRPC();
  const action = useQuery(trpc.actions.get.queryOptions({ appId, id: actionId }));
  const app = useQuery(trpc.apps.get.queryOptions({ appId }));
  const [dialog, setDialog] = useState<'publish' | 'unpublish' | null>(null);
  const production = action.data?.production ?? null;
  const canPublish = useCan('publish', appId);
  const blocked = dirty
    ? 'Save first: publishing copies the saved version.'
    : app.data && !app.data.publishedAt
      ? `This app is not published yet (APP_NOT_PUBLISHED): publish the app before its actions.`
      : null;

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      {action.data ? <PublishStateBadge state={action.data.state} /> : null}
      {canPublish ? (
        <>
          <button
            type="button"
            disabled={Boolean(blocked) || !action.data}
            aria-describedby={blocked ? 'publish-blocked' : undefined}
            onClick={() => setDialog('publish')}
            className={secondaryButton}
          >
            {production ? 'Publish changes…' : 'Publish…'}
          </button>
          {production ? (
            <button
              type="button"
              onClick={() => setDialog('unpublish')}
              className="rounded px-2 py-1.5 text-slate-600 hover:bg-slate-100"
            >
              Unpublish…
            </button>
          ) : null}
          {blocked ? (
            <p id="publish-blocked" className="basis-full text-amber-800">
              {blocked}
            </p>
          ) : null}
        </>
      ) : null}
      {dialog === 'publish' && action.data ? (
        <PublishDialog
          appId={appId}
          master={action.data.action}
          production={production}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'unpublish' ? (
        <UnpublishDialog appId={appId} actionId={actionId} onClose={() => setDialog(null)} />
      ) : null}
    </div>
  );
}

function UnpublishDialog(props: { appId: number; actionId: number; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unpublish = useMutation(
    trpc.actions.unpublish.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.actions.get.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.actions.overview.queryKey() }),
        ]);
        props.onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      title="Unpublish this action?"
      confirmLabel="Unpublish"
      tone="danger"
      busy={unpublish.isPending}
      error={unpublish.error ? productErrorOf(unpublish.error).message : null}
      onCancel={props.onClose}
      onConfirm={() => unpublish.mutate({ appId: props.appId, id: props.actionId })}
    >
      <p className="text-sm">
        The production version is removed: live apps can no longer run it, and its schedule and
        log triggers stop. The master version stays, ready to publish again.
      </p>
    </ConfirmDialog>
  );
}
