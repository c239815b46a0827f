import { and, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';

import type { Db, Tx } from '../../db/client';
import { serialIdSchema } from '../../db/ids';
import { dataSourceEntries, dataSources } from '../../db/schema';
import { AppError } from '../../errors';
import type { AppLogOrigin } from '../app-log';
import { jsonShape } from './validate';

/** Shapes of data sources and entries, and the row reads, locks and writes they share. */

export type EntryData = Record<string, unknown>;

export interface Entry {
  id: number;
  data: EntryData;
  createdAt: string;
  updatedAt: string;
  dataSourceId: number;
}

export interface EntryPage {
  entries: Entry[];
  pagination: { total: number; limit: number; offset: number };
}

export interface DataSource {
  id: number;
  appId: number;
  name: string;
  columns: string[];
  createdAt: string;
  updatedAt: string;
}

/** Who makes a change: the app (and its organization, for app logs) and, when known, a user. */
export interface DataSourceScope {
  appId: number;
  organizationId: number;
  userId?: number | null;
  /** Set when an action run makes the change; passed on to the app log writer. */
  origin?: AppLogOrigin;
}

export type SourceRow = typeof dataSources.$inferSelect;
export type EntryRow = Pick<typeof dataSourceEntries.$inferSelect, keyof typeof entryColumns>;

export const entryColumns = {
  id: dataSourceEntries.id,
  data: dataSourceEntries.data,
  createdAt: dataSourceEntries.createdAt,
  updatedAt: dataSourceEntries.updatedAt,
  dataSourceId: dataSourceEntries.dataSourceId,
};

/** A row id as Postgres `serial` stores it; anything else cannot name a row. */
export const rowIdSchema = serialIdSchema;

/**
 * Entry data: an object of JSON values (checked here, since TS callers could pass others), with
 * the same nesting cap and text rules as run payloads, so jsonb can store what is accepted.
 */
export const entryDataSchema = z
  .record(z.string(), z.unknown())
  .superRefine(jsonShape({ jsonOnly: true }));

/**
 * The app's data source row, or DATA_SOURCE_NOT_FOUND. Writers read it under a lock: KEY SHARE
 * for single-entry writes (they don't block each other) and UPDATE for commits, which must see
 * a stable set of entries.
 */
export async function sourceRow(
  db: Db,
  appId: number,
  id: number,
  lock?: 'key share' | 'update',
): Promise<SourceRow> {
  if (!isRowId(id)) throw sourceNotFound(id);
  const query = db
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.id, id), eq(dataSources.appId, appId)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw sourceNotFound(id);
  return row;
}

export async function lockEntries(tx: Tx, sourceId: number, ids: number[]): Promise<EntryRow[]> {
  const valid = ids.filter(isRowId);
  if (valid.length === 0) return [];
  return tx
    .select(entryColumns)
    .from(dataSourceEntries)
    .where(and(eq(dataSourceEntries.dataSourceId, sourceId), inArray(dataSourceEntries.id, valid)))
    .for('update');
}

export async function deleteEntries(
  tx: Tx,
  sourceId: number,
  which: { only: number[] } | { except: number[] },
): Promise<EntryRow[]> {
  const ids = 'only' in which ? which.only.filter(isRowId) : which.except;
  if ('only' in which && ids.length === 0) return [];
  const condition =
    'only' in which ? inArray(dataSourceEntries.id, ids) : notInArray(dataSourceEntries.id, ids);
  return tx
    .delete(dataSourceEntries)
    .where(and(eq(dataSourceEntries.dataSourceId, sourceId), condition))
    .returning(entryColumns);
}

/**
 * Adds columns seen in entry data to the data source's column list, in first-seen order. The
 * check is repeated in SQL so two writers adding the same column can't list it twice.
 */
export async function rememberColumns(tx: Tx, source: SourceRow, keys: string[]): Promise<void> {
  const fresh = [...new Set(keys)].filter((key) => !source.columns.includes(key));
  if (fresh.length === 0) return;
  const added = sql`(select coalesce(jsonb_agg(k.value order by k.position), '[]'::jsonb)
    from jsonb_array_elements(${JSON.stringify(fresh)}::jsonb) with ordinality as k(value, position)
    where not ${dataSources.columns} @> jsonb_build_array(k.value))`;
  await tx
    .update(dataSources)
    .set({ columns: sql`${dataSources.columns} || ${added}`, updatedAt: sql`now()` })
    .where(eq(dataSources.id, source.id));
}

export function entryIn(sourceId: number, id: number): SQL | undefined {
  return and(eq(dataSourceEntries.dataSourceId, sourceId), eq(dataSourceEntries.id, id));
}

export function isRowId(id: unknown): id is number {
  return rowIdSchema.safeParse(id).success;
}

export function toEntry(row: EntryRow): Entry {
  return {
    id: row.id,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    dataSourceId: row.dataSourceId,
  };
}

export function toDataSource(row: SourceRow): DataSource {
  return {
    id: row.id,
    appId: row.appId,
    name: row.name,
    columns: row.columns,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function required<T>(row: T | undefined): T {
  // A RETURNING or lookup we just made must have produced the row; if not, it's our bug.
  if (row === undefined) throw new AppError('INTERNAL_ERROR', 'data source write returned no row');
  return row;
}

export function sourceNotFound(id: unknown): AppError {
  return new AppError('DATA_SOURCE_NOT_FOUND', `Data source ${String(id)} not found`);
}

export function entryNotFound(ids: unknown[], sourceId: number): AppError {
  const list = ids.slice(0, 10).map(String).join(', ') + (ids.length > 10 ? ', …' : '');
  const noun = ids.length === 1 ? 'Entry' : 'Entries';
  return new AppError('ENTRY_NOT_FOUND', `${noun} ${list} not found in data source ${sourceId}`);
}
