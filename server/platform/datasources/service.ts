import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';

import type { Db } from '../../db/client';
import { dataSourceEntries, dataSources } from '../../db/schema';
import { AppError } from '../../errors';
import { writeAppLogs } from '../app-log';
import { commitEntries } from './commit';
import { pgErrorCode, translateDbErrors } from './db-errors';
import { createdEvent, deletedEvent, updatedEvent } from './entry-events';
import {
  findQuerySchema,
  orderToSql,
  pageOf,
  selectedData,
  whereToSql,
  type FindQueryInput,
  type Where,
} from './query';
import {
  deleteEntries,
  entryColumns,
  entryDataSchema,
  entryIn,
  entryNotFound,
  isRowId,
  lockEntries,
  rememberColumns,
  required,
  sourceRow,
  toDataSource,
  toEntry,
  type DataSource,
  type DataSourceScope,
  type Entry,
  type EntryData,
  type EntryPage,
} from './rows';
import { parseInput, refineName, refineText } from './validate';

/**
 * Data sources and their entries, for REST, tRPC, seeds and the action sandbox alike. Every
 * function is scoped to one app: a data source of another app is reported as not found. Each
 * entry change writes its `dataSource.entry.*` app log event in the same transaction.
 */

export { commitEntries, commitSchema, MAX_COMMIT_ENTRIES } from './commit';
export type { CommitInput, CommitResult } from './commit';
export { entryDataSchema, rowIdSchema } from './rows';
export type { DataSource, DataSourceScope, Entry, EntryData, EntryPage } from './rows';

const NAME_MAX_LENGTH = 255;

export const createDataSourceSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'name cannot be empty')
    .max(NAME_MAX_LENGTH)
    .superRefine(refineName),
  columns: z
    .array(z.string().min(1).superRefine(refineName))
    .refine((columns) => new Set(columns).size === columns.length, 'columns must be unique')
    .default([]),
});

export type CreateDataSourceInput = z.input<typeof createDataSourceSchema>;

// Looked up as given (names made before the control character rule are still found).
const storableName = z.string().superRefine(refineText);

// ---- data sources ---------------------------------------------------------------------------

export async function listDataSources(db: Db, appId: number): Promise<DataSource[]> {
  const rows = await db
    .select()
    .from(dataSources)
    .where(eq(dataSources.appId, appId))
    .orderBy(asc(dataSources.id));
  return rows.map(toDataSource);
}

export async function getDataSource(db: Db, appId: number, id: number): Promise<DataSource> {
  return toDataSource(await sourceRow(db, appId, id));
}

export async function getDataSourceByName(
  db: Db,
  appId: number,
  name: string,
): Promise<DataSource> {
  parseInput(storableName, name, 'data source name');
  const [row] = await db
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.appId, appId), eq(dataSources.name, name)));
  if (!row) throw new AppError('DATA_SOURCE_NOT_FOUND', `Data source "${name}" not found`);
  return toDataSource(row);
}

export async function createDataSource(
  db: Db,
  scope: Pick<DataSourceScope, 'appId'>,
  input: CreateDataSourceInput,
): Promise<DataSource> {
  const { name, columns } = parseInput(createDataSourceSchema, input, 'data source');
  try {
    const [row] = await db
      .insert(dataSources)
      .values({ appId: scope.appId, name, columns })
      .returning();
    return toDataSource(required(row));
  } catch (error) {
    if (pgErrorCode(error) !== '23505') throw error;
    throw new AppError('NAME_ALREADY_EXISTS', `A data source named "${name}" already exists`, {
      cause: error,
    });
  }
}

// ---- reading entries ------------------------------------------------------------------------

export function findEntries(
  db: Db,
  appId: number,
  dataSourceId: number,
  query: FindQueryInput & { includePagination: true },
): Promise<EntryPage>;
export function findEntries(
  db: Db,
  appId: number,
  dataSourceId: number,
  query?: FindQueryInput & { includePagination?: false },
): Promise<Entry[]>;
export function findEntries(
  db: Db,
  appId: number,
  dataSourceId: number,
  query?: FindQueryInput,
): Promise<Entry[] | EntryPage>;
/** Entries matching a find query: an array, or a page with the total when asked for one. */
export async function findEntries(
  db: Db,
  appId: number,
  dataSourceId: number,
  query: FindQueryInput = {},
): Promise<Entry[] | EntryPage> {
  const options = parseInput(findQuerySchema, query, 'find options');
  const filter = entryFilter((await sourceRow(db, appId, dataSourceId)).id, options.where);
  const { limit, offset } = pageOf(options);
  const rows = await translateDbErrors(() =>
    db
      .select({ ...entryColumns, data: selectedData(options.attributes) })
      .from(dataSourceEntries)
      .where(filter)
      .orderBy(...orderToSql(options.order))
      .limit(limit)
      .offset(offset),
  );
  const entries = rows.map(toEntry);
  if (!options.includePagination) return entries;
  return { entries, pagination: { total: await countWhere(db, filter), limit, offset } };
}

/** The first entry a find query would return, or null. */
export async function findOne(
  db: Db,
  appId: number,
  dataSourceId: number,
  query: FindQueryInput = {},
): Promise<Entry | null> {
  const options = { ...query, limit: 1, includePagination: false } as const;
  const [entry] = await findEntries(db, appId, dataSourceId, options);
  return entry ?? null;
}

export async function findById(
  db: Db,
  appId: number,
  dataSourceId: number,
  entryId: number,
): Promise<Entry | null> {
  const source = await sourceRow(db, appId, dataSourceId);
  if (!isRowId(entryId)) return null;
  const [row] = await db
    .select(entryColumns)
    .from(dataSourceEntries)
    .where(entryIn(source.id, entryId));
  return row ? toEntry(row) : null;
}

export async function countEntries(
  db: Db,
  appId: number,
  dataSourceId: number,
  where?: Where,
): Promise<number> {
  const checked = parseInput(findQuerySchema.shape.where, where, 'where');
  const source = await sourceRow(db, appId, dataSourceId);
  return countWhere(db, entryFilter(source.id, checked));
}

// ---- changing entries -----------------------------------------------------------------------

export async function insertEntry(
  db: Db,
  scope: DataSourceScope,
  dataSourceId: number,
  data: EntryData,
): Promise<Entry> {
  const values = parseInput(entryDataSchema, data, 'entry data');
  return translateDbErrors(() =>
    db.transaction(async (tx) => {
      const source = await sourceRow(tx, scope.appId, dataSourceId, 'key share');
      const [row] = await tx
        .insert(dataSourceEntries)
        .values({ dataSourceId: source.id, data: values })
        .returning(entryColumns);
      const entry = required(row);
      await rememberColumns(tx, source, Object.keys(values));
      await writeAppLogs(tx, [createdEvent(scope, entry, values)]);
      return toEntry(entry);
    }),
  );
}

/** Shallow merge: the given columns replace theirs, the others stay as they were. */
export async function updateEntry(
  db: Db,
  scope: DataSourceScope,
  dataSourceId: number,
  entryId: number,
  changes: EntryData,
): Promise<Entry> {
  const values = parseInput(entryDataSchema, changes, 'entry data');
  return translateDbErrors(() =>
    db.transaction(async (tx) => {
      const source = await sourceRow(tx, scope.appId, dataSourceId, 'key share');
      const [before] = await lockEntries(tx, source.id, [entryId]);
      if (!before) throw entryNotFound([entryId], source.id);
      const merged = sql`${dataSourceEntries.data} || ${JSON.stringify(values)}::jsonb`;
      const [row] = await tx
        .update(dataSourceEntries)
        .set({ data: merged, updatedAt: sql`now()` })
        .where(entryIn(source.id, before.id))
        .returning(entryColumns);
      const after = required(row);
      await rememberColumns(tx, source, Object.keys(values));
      await writeAppLogs(tx, [updatedEvent(scope, before, after)]);
      return toEntry(after);
    }),
  );
}

/**
 * Replaces one entry's data with `data`, as `commit` does for an entry with an id: keys left
 * out are removed. Unchanged data is not written and logs nothing.
 */
export async function replaceEntry(
  db: Db,
  scope: DataSourceScope,
  dataSourceId: number,
  entryId: number,
  data: EntryData,
): Promise<Entry> {
  const commit = { entries: [{ id: entryId, data }], append: true };
  const [entry] = (await commitEntries(db, scope, dataSourceId, commit)).entries;
  return required(entry);
}

export async function removeEntry(
  db: Db,
  scope: DataSourceScope,
  dataSourceId: number,
  entryId: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    const source = await sourceRow(tx, scope.appId, dataSourceId, 'key share');
    const [row] = await deleteEntries(tx, source.id, { only: [entryId] });
    if (!row) throw entryNotFound([entryId], source.id);
    await writeAppLogs(tx, [deletedEvent(scope, row)]);
  });
}

// ---- helpers ------------------------------------------------------------------------------

function entryFilter(sourceId: number, where: Where | undefined): SQL | undefined {
  return and(eq(dataSourceEntries.dataSourceId, sourceId), whereToSql(where));
}

async function countWhere(db: Db, filter: SQL | undefined): Promise<number> {
  const [row] = await translateDbErrors(() =>
    db.select({ total: count() }).from(dataSourceEntries).where(filter),
  );
  return row?.total ?? 0;
}
