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

/**
 * Structural equality of JSON values; key order does not matter, as in jsonb. Walks with a
 * stack: stored data may predate the nesting cap on entry data.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const pending: [unknown, unknown][] = [[a, b]];
  while (pending.length > 0) {
    const [left, right] = pending.pop()!;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object') return false;
    if (left === null || right === null) return false;
    if (Array.isArray(left) || Array.isArray(right)) {
      if (!Array.isArray(left) || !Array.isArray(right)) return false;
      if (left.length !== right.length) return false;
      left.forEach((item, index) => pending.push([item, right[index]]));
      continue;
    }
    const rightValues = new Map(Object.entries(right));
    const leftEntries = Object.entries(left);
    if (leftEntries.length !== rightValues.size) return false;
    for (const [key, value] of leftEntries) {
      if (!rightValues.has(key)) return false;
      pending.push([value, rightValues.get(key)]);
    }
  }
  return true;
}
