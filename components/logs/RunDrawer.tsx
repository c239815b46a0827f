'use client';

import { useEffect, useRef, type ReactNode } from 'react';

interface RunDrawerProps {
  /** The id of the element naming the drawer (its heading). */
  labelId: string;
  onClose: () => void;
  children: (closeButton: ReactNode) => ReactNode;
}

/**
 * A modal side drawer on the native <dialog>: the browser keeps focus inside it and makes the
 * page behind inert; Escape and a click on the backdrop close it. Focus starts on its close
 * button; the opener gets it back (see RunRow).
 */
export function RunDrawer({ labelId, onClose, children }: RunDrawerProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    close.current?.focus();
    return () => element?.close();
  }, []);

  const closeButton = (
    <button
      ref={close}
      type="button"
      onClick={onClose}
      aria-label="Close run details"
      className="rounded px-2 py-1 text-lg leading-none text-slate-600 hover:bg-slate-100"
    >
      ×
    </button>
  );

  return (
    <dialog
      ref={dialog}
      aria-labelledby={labelId}
      onCancel={(event) => {
        // Escape: let React state close it, so the URL and the focus follow.
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className={
        'fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-3xl overflow-y-auto ' +
        'border-l border-slate-200 bg-white p-0 text-slate-900 shadow-2xl ' +
        'backdrop:bg-slate-900/40'
      }
    >
      <div className="min-h-full p-4">{children(closeButton)}</div>
    </dialog>
  );
}
