import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';

import type { Db, Tx } from '../../db/client';
import { dataSourceEntries } from '../../db/schema';
import { AppError } from '../../errors';
import { writeAppLogs } from '../app-log';
import { translateDbErrors } from './db-errors';
import { createdEvent, deletedEvent, jsonEqual, updatedEvent } from './entry-events';
import {
  deleteEntries,
  entryColumns,
  entryDataSchema,
  entryNotFound,
  lockEntries,
  rememberColumns,
  required,
  rowIdSchema,
  sourceRow,
  toEntry,
  type DataSourceScope,
  type Entry,
  type EntryData,
  type EntryRow,
  type SourceRow,
} from './rows';
import { parseInput } from './validate';

export const MAX_COMMIT_ENTRIES = 10_000;

// Two parameters a row keeps one insert far below Postgres's 65,535-parameter limit.
const ROWS_PER_INSERT = 5000;

export const commitSchema = z.strictObject({
  // Extra keys (createdAt, …) are allowed so entries from `find` can be sent back as they are.
  entries: z
    .array(z.object({ id: rowIdSchema.nullish(), data: entryDataSchema }))
    .max(MAX_COMMIT_ENTRIES),
  append: z.boolean().optional(),
  delete: z.array(rowIdSchema).max(MAX_COMMIT_ENTRIES).optional(),
});

export type CommitInput = z.input<typeof commitSchema>;
type Commit = z.output<typeof commitSchema>;

export interface CommitResult {
  /** The committed entries in the order given, new ones with their ids. */
  entries: Entry[];
  deletedIds: number[];
}

/**
 * Writes many entries at once, all or nothing. Entries with an `id` have their data replaced,
 * entries without one are inserted. Without `append` the data source then holds exactly the
 * given entries (the others are deleted); with `append` only the ids in `delete` are.
 * Entries whose data does not change are left alone and log nothing.
 */
export async function commitEntries(
  db: Db,
  scope: DataSourceScope,
  dataSourceId: number,
  input: CommitInput,
): Promise<CommitResult> {
  const commit = checkCommit(parseInput(commitSchema, input, 'commit'));
  return translateDbErrors(() =>
    db.transaction(async (tx) => {
      // FOR UPDATE waits out single-entry writes (they hold KEY SHARE), so the set of entries
      // a replacing commit deletes cannot change under it.
      const source = await sourceRow(tx, scope.appId, dataSourceId, 'update');
      return applyCommit(tx, scope, source, commit);
    }),
  );
}

function checkCommit(commit: Commit): Commit {
  if (commit.delete && !commit.append) {
    const why = 'without it every entry missing from entries is deleted';
    throw badRequest(`commit: delete is only used with append: true (${why})`);
  }
  const seen = new Set<number>();
  for (const { id } of commit.entries) {
    if (!id) continue;
    if (seen.has(id)) throw badRequest(`commit: entry ${id} is listed twice`);
    seen.add(id);
  }
  const both = (commit.delete ?? []).find((id) => seen.has(id));
  if (both !== undefined) throw badRequest(`commit: entry ${both} is both updated and deleted`);
  return commit;
}

async function applyCommit(
  tx: Tx,
  scope: DataSourceScope,
  source: SourceRow,
  commit: Commit,
): Promise<CommitResult> {
  const updates = commit.entries.flatMap(({ id, data }) => (id ? [{ id, data }] : []));
  const inserts = commit.entries.flatMap(({ id, data }) => (id ? [] : [data]));
  const updateIds = updates.map((update) => update.id);
  const deleteIds = commit.delete ?? [];
  const before = await lockExisting(tx, source.id, [...updateIds, ...deleteIds]);

  const changed = updates.filter(({ id, data }) => !jsonEqual(before.get(id)?.data, data));
  const updated = await replaceData(tx, source.id, changed);
  // Deleting before inserting, so a replacing commit never deletes the entries it adds.
  const deleted = await deleteEntries(
    tx,
    source.id,
    commit.append ? { only: deleteIds } : { except: updateIds },
  );
  const inserted = await insertEntries(tx, source.id, inserts);

  await rememberColumns(tx, source, inserts.concat(changed.map((u) => u.data)).flatMap(keysOf));
  await writeAppLogs(tx, [
    ...inserted.map((row, index) => createdEvent(scope, row, inserts[index] ?? row.data)),
    ...updated.map((row) => updatedEvent(scope, required(before.get(row.id)), row)),
    ...deleted.map((row) => deletedEvent(scope, row)),
  ]);
  return {
    entries: inCommitOrder(commit, [...updated, ...before.values()], inserted),
    deletedIds: deleted.map((row) => row.id),
  };
}

/** Locks the entries a commit names, failing when any is not in the data source. */
async function lockExisting(
  tx: Tx,
  sourceId: number,
  ids: number[],
): Promise<Map<number, EntryRow>> {
  const rows = await lockEntries(tx, sourceId, ids);
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw entryNotFound(missing, sourceId);
  return found;
}

async function replaceData(
  tx: Tx,
  sourceId: number,
  changes: { id: number; data: EntryData }[],
): Promise<EntryRow[]> {
  if (changes.length === 0) return [];
  // One parameter for the whole batch: Postgres unpacks the JSON into (id, data) rows.
  const rows = JSON.stringify(changes);
  const batch = sql`jsonb_to_recordset(${rows}::jsonb) as v(id integer, data jsonb)`;
  return tx
    .update(dataSourceEntries)
    .set({ data: sql`v.data`, updatedAt: sql`now()` })
    .from(batch)
    .where(and(eq(dataSourceEntries.dataSourceId, sourceId), sql`${dataSourceEntries.id} = v.id`))
    .returning(entryColumns);
}

async function insertEntries(tx: Tx, sourceId: number, rows: EntryData[]): Promise<EntryRow[]> {
  const inserted: EntryRow[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const values = chunk.map((data) => ({ dataSourceId: sourceId, data }));
    inserted.push(...(await tx.insert(dataSourceEntries).values(values).returning(entryColumns)));
  }
  // Ids come from a sequence in VALUES order, so sorting by id restores the input order.
  return inserted.sort((a, b) => a.id - b.id);
}

function inCommitOrder(commit: Commit, known: EntryRow[], inserted: EntryRow[]): Entry[] {
  const byId = new Map<number, EntryRow>();
  // `known` lists updated rows before the old versions, so the first one seen wins.
  for (const row of known) if (!byId.has(row.id)) byId.set(row.id, row);
  const fresh = inserted.values();
  return commit.entries.map((entry) => {
    const row = entry.id ? byId.get(entry.id) : fresh.next().value;
    return toEntry(required(row));
  });
}

function keysOf(data: EntryData): string[] {
  return Object.keys(data);
}

function badRequest(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}
