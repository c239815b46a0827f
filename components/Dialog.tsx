'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  /** Called on Escape, on the close button and on a click outside the box. */
  onClose: () => void;
  children: ReactNode;
  /** Buttons along the bottom edge. */
  footer?: ReactNode;
  /** Wide dialogs hold side-by-side diffs. */
  wide?: boolean;
}

/**
 * A modal built on the native <dialog>: showModal() gives the focus trap, Escape, the inert
 * page behind and the top layer, so none of that is re-implemented here. Mounted = open.
 */
export function Dialog({ title, onClose, children, footer, wide = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Focus returns to whatever opened the dialog when it closes.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      latestClose.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      className={`m-auto max-h-[90vh] w-[calc(100%-2rem)] overflow-auto rounded-lg border
        border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40
        ${wide ? 'max-w-6xl' : 'max-w-lg'}`}
    >
      <div className="grid gap-3 p-4">
        <header className="flex items-start justify-between gap-3">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close"
            className="rounded px-2 text-xl leading-none text-slate-500 hover:bg-slate-100"
          >
            ×
          </button>
        </header>
        {children}
        {footer ? (
          <footer className="flex flex-wrap justify-end gap-2 pt-1">{footer}</footer>
        ) : null}
      </div>
    </dialog>
  );
}
