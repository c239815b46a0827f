'use client';

import { useState } from 'react';

import { inputClass } from './Field';
import { secondaryButton } from './styles';

interface Row {
  id: number;
  key: string;
  value: string;
}

interface DataFilterRowsProps {
  idPrefix: string;
  initial: Record<string, unknown>;
  onChange: (data: Record<string, unknown>) => void;
}

/** Numbers are matched as numbers (`_pageId: 77`, not "77"); everything else as text. */
export function filterValue(text: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

let nextRowId = 1;

function rowsOf(data: Record<string, unknown>): Row[] {
  return Object.entries(data).map(([key, value]) => ({
    id: nextRowId++,
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

function dataOf(rows: readonly Row[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.key.trim() !== '') data[row.key.trim()] = filterValue(row.value);
  }
  return data;
}

/**
 * Key/value filters on the event's data. Rows are kept here as typed (a row without a key yet
 * is kept but not sent), and every change reports the resulting object.
 */
export function DataFilterRows({ idPrefix, initial, onChange }: DataFilterRowsProps) {
  const [rows, setRows] = useState(() => rowsOf(initial));
  const update = (next: Row[]) => {
    setRows(next);
    onChange(dataOf(next));
  };
  const edit = (id: number, patch: Partial<Row>) =>
    update(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <fieldset className="grid gap-1">
      <legend className="text-xs font-medium">Event data filters (optional)</legend>
      {rows.length === 0 ? (
        <p className="text-xs text-slate-500">No filters: every event of this type matches.</p>
      ) : (
        <ul aria-label="Event data filters" className="grid gap-1">
          {rows.map((row, index) => (
            <li key={row.id} className="grid grid-cols-[1fr_1fr_auto] items-center gap-1">
              <input
                type="text"
                value={row.key}
                placeholder="_platform"
                aria-label={`Filter ${index + 1} field`}
                onChange={(event) => edit(row.id, { key: event.target.value })}
                spellCheck={false}
                className={`${inputClass(false)} font-mono`}
              />
              <input
                type="text"
                value={row.value}
                placeholder="web"
                aria-label={`Filter ${index + 1} value`}
                onChange={(event) => edit(row.id, { value: event.target.value })}
                spellCheck={false}
                className={`${inputClass(false)} font-mono`}
              />
              <button
                type="button"
                onClick={() => update(rows.filter((r) => r.id !== row.id))}
                aria-label={`Remove filter ${index + 1}`}
                className="rounded px-2 py-1 text-sm text-red-700 hover:bg-red-50"
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div>
        <button
          type="button"
          id={`${idPrefix}-add`}
          onClick={() => update([...rows, { id: nextRowId++, key: '', value: '' }])}
          className={secondaryButton}
        >
          Add filter
        </button>
      </div>
      <p className="text-xs text-slate-500">Numeric values are matched as numbers.</p>
    </fieldset>
  );
}
