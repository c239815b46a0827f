'use client';

import { useMutation } from '@tanstack/react-query';

import type { ActionObject, ActionVersion } from './apiTypes';
import { ConfirmDialog } from './ConfirmDialog';
import { formatTime } from './formatters';
import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';

interface RestoreDialogProps {
  appId: number;
  version: ActionVersion;
  dirty: boolean;
  onClose: () => void;
  onRestored: (action: ActionObject) => void;
}

/** Confirms bringing a version back; says what happens to unsaved work and how to undo. */
export function RestoreDialog({ appId, version, dirty, onClose, onRestored }: RestoreDialogProps) {
  const trpc = useTRPC();
  const restore = useMutation(trpc.actions.restore.mutationOptions({ onSuccess: onRestored }));
  const error = restore.error ? productErrorOf(restore.error) : null;
  return (
    <ConfirmDialog
      title={`Restore version #${version.id}?`}
      confirmLabel="Restore"
      busy={restore.isPending}
      error={error ? `${error.status}: ${error.message}` : null}
      onCancel={onClose}
      onConfirm={() => restore.mutate({ appId, versionId: version.id })}
    >
      <p className="text-sm">
        The master becomes version #{version.id} from {formatTime(version.createdAt)}: its code and
        all its settings. Production is not touched until you publish.
      </p>
      {dirty ? (
        <p className="text-sm font-medium text-amber-800">
          Your unsaved changes in the editor are discarded.
        </p>
      ) : null}
      <p className="text-xs text-slate-500">
        The restore is recorded in the history, so restoring the version before it undoes it.
      </p>
    </ConfirmDialog>
  );
}
