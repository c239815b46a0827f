import type { AppLogEvent } from '../app-log';
import type { DataSourceScope, EntryData, EntryRow } from './rows';

/**
 * The `dataSource.entry.*` app log events. `columns` lists the columns a change touched: all of
 * a new or deleted entry's, and for an update only those whose value changed (`previous` holds
 * their old values). `entry` is the entry's data after the change (before it, for a delete).
 */

/** `given` is the data as sent, whose key order jsonb does not keep. */
export function createdEvent(scope: DataSourceScope, row: EntryRow, given: EntryData): AppLogEvent {
  return entryEvent(scope, 'create', row, { columns: Object.keys(given), entry: row.data });
}

export function updatedEvent(
  scope: DataSourceScope,
  before: EntryRow,
  after: EntryRow,
): AppLogEvent {
  const columns = changedColumns(before.data, after.data);
  const previous = Object.fromEntries(
    columns.filter((column) => column in before.data).map((c) => [c, before.data[c]]),
  );
  return entryEvent(scope, 'update', after, { columns, entry: after.data, previous });
}

export function deletedEvent(scope: DataSourceScope, row: EntryRow): AppLogEvent {
  return entryEvent(scope, 'delete', row, { columns: Object.keys(row.data), entry: row.data });
}

function entryEvent(
  scope: DataSourceScope,
  action: 'create' | 'update' | 'delete',
  row: EntryRow,
  data: Record<string, unknown>,
): AppLogEvent {
  return {
    appId: scope.appId,
    organizationId: scope.organizationId,
    userId: scope.userId ?? null,
    origin: scope.origin,
    type: `dataSource.entry.${action}`,
    dataSourceId: row.dataSourceId,
    dataSourceEntryId: row.id,
    data,
  };
}

function changedColumns(before: EntryData, after: EntryData): string[] {
  const columns = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...columns].filter(
    (column) => !(column in before && column in after && jsonEqual(before[column], after[column])),
  );
}

/** Structural equality of JSON values; key order does not matter, as in jsonb. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  const bValues = new Map(Object.entries(b));
  const aEntries = Object.entries(a);
  if (aEntries.length !== bValues.size) return false;
  return aEntries.every(([key, value]) => bValues.has(key) && jsonEqual(value, bValues.get(key)));
}
