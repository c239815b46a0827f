import { isRecord } from '../isRecord';
import { parseJson } from '../parseJson';

/**
 * The entry dialog's form: one field per column, each edited as text and turned back into the
 * JSON value of the type the column held (text stays text, a number stays a number, …), so
 * editing a row never turns `2` into `"2"` by accident.
 */

export type EntryData = Record<string, unknown>;

/** How a field's text becomes a value; `text` for new and missing columns. */
export type FieldKind = 'text' | 'number' | 'boolean' | 'json';

export interface EntryField {
  column: string;
  kind: FieldKind;
  text: string;
  /** The entry had this column: emptying a text field then stores "", not nothing. */
  present: boolean;
}

export type FormResult =
  | { ok: true; data: EntryData }
  | { ok: false; errors: Record<string, string> };

/** The data source's columns, then keys only some entries have, in first-seen order. */
export function columnsOf(known: readonly string[], rows: readonly EntryData[]): string[] {
  const columns = [...known];
  const seen = new Set(columns);
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return columns;
}

/** A value as one line in a table cell: text as it is, anything else as JSON. */
export function cellText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function kindOf(value: unknown): FieldKind {
  if (value === undefined || typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

export function fieldsOf(columns: readonly string[], data: EntryData): EntryField[] {
  return columnsOf(columns, [data]).map((column) => {
    const value = data[column];
    const kind = kindOf(value);
    return { column, kind, text: cellText(value), present: column in data };
  });
}

/** The entry data the fields describe, or what is wrong with each field that cannot be read. */
export function dataOf(fields: readonly EntryField[]): FormResult {
  const data: EntryData = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const read = valueOf(field);
    if (read.error) errors[field.column] = read.error;
    else if (read.keep) data[field.column] = read.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, data };
}

type Read = { keep: boolean; value?: unknown; error?: string };

function valueOf(field: EntryField): Read {
  const trimmed = field.text.trim();
  switch (field.kind) {
    case 'text':
      // An empty field of a column the entry lacks adds nothing.
      return { keep: field.present || field.text !== '', value: field.text };
    case 'boolean':
      return { keep: true, value: field.text === 'true' };
    case 'number': {
      if (trimmed === '') return { keep: false };
      const number = Number(trimmed);
      if (!Number.isFinite(number)) return { keep: false, error: 'Enter a number' };
      return { keep: true, value: number };
    }
    case 'json': {
      if (trimmed === '') return { keep: false };
      const parsed = parseJson(trimmed);
      return parsed.ok
        ? { keep: true, value: parsed.value }
        : { keep: false, error: `Not valid JSON: ${parsed.message}` };
    }
  }
}

/** The whole entry as JSON text, for the dialog's JSON mode. */
export function jsonOf(data: EntryData): string {
  return JSON.stringify(data, null, 2);
}

/** JSON-mode text back into entry data: it must be one JSON object. */
export function dataFromJson(text: string): FormResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, errors: { json: `Not valid JSON: ${parsed.message}` } };
  const value = parsed.value;
  if (!isRecord(value)) {
    return { ok: false, errors: { json: 'An entry is a JSON object, such as {"Name": "Ada"}' } };
  }
  return { ok: true, data: value };
}
