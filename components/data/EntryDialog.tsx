'use client';

import { useId, useState } from 'react';

import { Dialog } from '../Dialog';
import { Field, FieldError, inputClass } from '../Field';
import { primaryButton, secondaryButton } from '../styles';
import {
  dataFromJson,
  dataOf,
  fieldsOf,
  jsonOf,
  type EntryData,
  type EntryField,
  type FieldKind,
} from './entryForm';

interface EntryDialogProps {
  /** Null for a new entry. */
  entryId: number | null;
  columns: readonly string[];
  data: EntryData;
  busy: boolean;
  /** Why the last save failed, as the server said it. */
  error: string | null;
  onSave: (data: EntryData) => void;
  onClose: () => void;
}

const kindHints: Record<FieldKind, string | undefined> = {
  text: undefined,
  number: 'A number; leave it empty to remove the value.',
  boolean: undefined,
  json: 'JSON; leave it empty to remove the value.',
};

/**
 * Edits one entry: a field per column, or the whole entry as JSON (to add or remove keys, or
 * change a value's type). Saving stores exactly what the dialog shows.
 */
export function EntryDialog(props: EntryDialogProps) {
  const { entryId, columns, busy, error, onSave, onClose } = props;
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [fields, setFields] = useState<EntryField[]>(() => fieldsOf(columns, props.data));
  const [json, setJson] = useState(() => jsonOf(props.data));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const idPrefix = useId();

  const current = () => (mode === 'form' ? dataOf(fields) : dataFromJson(json));

  const switchTo = (next: 'form' | 'json') => {
    const read = current();
    if (!read.ok) {
      setProblems(read.errors);
      return;
    }
    setProblems({});
    if (next === 'json') setJson(jsonOf(read.data));
    else setFields(fieldsOf(columns, read.data));
    setMode(next);
  };

  const save = () => {
    const read = current();
    setProblems(read.ok ? {} : read.errors);
    if (read.ok) onSave(read.data);
  };

  // A field's error stands until the field changes, then the next save checks it again.
  const forget = (key: string) =>
    setProblems((all) => Object.fromEntries(Object.entries(all).filter(([k]) => k !== key)));
  const edit = (column: string, text: string) => {
    setFields((all) => all.map((f) => (f.column === column ? { ...f, text } : f)));
    forget(column);
  };

  const title = entryId === null ? 'New entry' : `Edit entry #${entryId}`;
  return (
    <Dialog
      title={title}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" onClick={onClose} disabled={busy} className={secondaryButton}>
            Cancel
          </button>
          <button type="button" onClick={save} disabled={busy} className={primaryButton}>
            {busy ? 'Saving…' : 'Save entry'}
          </button>
        </>
      }
    >
      <form
        className="grid gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <fieldset className="flex gap-4 text-sm">
          <legend className="sr-only">Edit as</legend>
          {(['form', 'json'] as const).map((option) => (
            <label key={option} className="flex items-center gap-1">
              <input
                type="radio"
                name={`${idPrefix}-mode`}
                checked={mode === option}
                onChange={() => switchTo(option)}
              />
              {option === 'form' ? 'Fields' : 'JSON'}
            </label>
          ))}
        </fieldset>
        {mode === 'form' ? (
          <div className="grid gap-3 sm:grid-cols-2">
            {fields.map((field, index) => (
              <EntryFieldInput
                key={field.column}
                id={`${idPrefix}-field-${index}`}
                field={field}
                error={problems[field.column] ?? null}
                onChange={(text) => edit(field.column, text)}
              />
            ))}
            {fields.length === 0 ? (
              <p className="text-sm text-slate-500">
                This data source has no columns yet: add keys in JSON.
              </p>
            ) : null}
          </div>
        ) : (
          <Field
            id={`${idPrefix}-json`}
            label="Entry data (JSON)"
            hint="The whole entry: keys you remove here are removed when you save."
            error={problems.json ?? null}
          >
            {(describedBy, invalid) => (
              <textarea
                id={`${idPrefix}-json`}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                value={json}
                onChange={(event) => {
                  setJson(event.target.value);
                  forget('json');
                }}
                rows={14}
                spellCheck={false}
                className={`${inputClass(invalid)} font-mono text-xs`}
              />
            )}
          </Field>
        )}
      </form>
      <FieldError message={error} />
    </Dialog>
  );
}

interface EntryFieldInputProps {
  id: string;
  field: EntryField;
  error: string | null;
  onChange: (text: string) => void;
}

function EntryFieldInput({ id, field, error, onChange }: EntryFieldInputProps) {
  if (field.kind === 'boolean') {
    return (
      <div className="grid gap-1">
        <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
          <input
            id={id}
            type="checkbox"
            checked={field.text === 'true'}
            onChange={(event) => onChange(String(event.target.checked))}
          />
          {field.column}
        </label>
      </div>
    );
  }
  return (
    <Field id={id} label={field.column} hint={kindHints[field.kind]} error={error}>
      {(describedBy, invalid) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          value={field.text}
          onChange={(event) => onChange(event.target.value)}
          className={`${inputClass(invalid)} ${field.kind === 'json' ? 'font-mono' : ''}`}
        />
      )}
    </Field>
  );
}
