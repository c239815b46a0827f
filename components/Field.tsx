import type { ReactNode } from 'react';

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  /** A save error about this field, shown under it and announced. */
  error?: string | null;
  /** Renders the control; it must use `id` and the given `aria-describedby` value. */
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}

/** A labelled form control with its hint and its error, wired for screen readers. */
export function Field({ id, label, hint, error, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children(describedBy, Boolean(error))}
      {hint ? (
        <p id={hintId ?? undefined} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

export function FieldError({ id, message }: { id?: string | null; message?: string | null }) {
  if (!message) return null;
  return (
    <p id={id ?? undefined} role="alert" className="text-sm text-red-700">
      {message}
    </p>
  );
}

const focusRing = 'focus:outline-none focus:ring-2 focus:ring-indigo-500';

/** Shared look of text inputs and selects; red border when the field has an error. */
export function inputClass(invalid: boolean): string {
  const border = invalid ? 'border-red-500' : 'border-slate-300';
  return `w-full rounded border px-2 py-1.5 text-sm ${border} ${focusRing}`;
}
