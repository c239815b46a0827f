'use client';

import type { ReactNode } from 'react';

import { Dialog } from './Dialog';
import { dangerButton, primaryButton, secondaryButton } from './styles';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The confirmed action is running: both buttons wait for it. */
  busy?: boolean;
  /** Why the last attempt failed, shown above the buttons. */
  error?: string | null;
  tone?: 'primary' | 'danger';
  wide?: boolean;
  /** A reason the action cannot be confirmed now; the button stays disabled and says why. */
  blocked?: string | null;
}

/** Asks before something that changes stored state; the confirm button names the action. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, children, confirmLabel, onConfirm, onCancel, busy = false, error } = props;
  const blockedId = props.blocked ? 'confirm-blocked-reason' : undefined;
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      wide={props.wide}
      footer={
        <>
          <button type="button" onClick={onCancel} disabled={busy} className={secondaryButton}>
            Cancel
          </button>
          <button
            type="button"
            onClick={onConfirm}
            disabled={busy || Boolean(props.blocked)}
            aria-describedby={blockedId}
            className={props.tone === 'danger' ? dangerButton : primaryButton}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {props.blocked ? (
        <p id={blockedId} className="text-sm font-medium text-amber-800">
          {props.blocked}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
