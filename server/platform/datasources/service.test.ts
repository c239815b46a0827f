import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appLogs } from '../../db/schema';
import { isAppError, type ErrorStatus } from '../../errors';
import { toAppLogEntry } from '../app-log';
import {
  commitEntries,
  countEntries,
  createDataSource,
  findById,
  findEntries,
  findOne,
  getDataSource,
  getDataSourceByName,
  insertEntry,
  listDataSources,
  removeEntry,
  replaceEntry,
  updateEntry,
  type DataSourceScope,
} from './service';
import { createTestDatabase, seedApp, type TestDatabase } from './test-database';

let test: TestDatabase;
let scope: DataSourceScope;
let other: DataSourceScope;

beforeAll(async () => {
  test = await createTestDatabase();
  scope = { ...(await seedApp(test.db, 'Main')), userId: 42 };
  other = await seedApp(test.db, 'Other');
});

afterAll(async () => {
  await test?.drop();
});

let sourceCount = 0;
async function newSource(columns: string[] = []) {
  sourceCount += 1;
  return createDataSource(test.db, scope, { name: `Source ${sourceCount}`, columns });
}

async function logsOf(dataSourceId: number) {
  const rows = await test.db
    .select()
    .from(appLogs)
    .where(eq(appLogs.dataSourceId, dataSourceId))
    .orderBy(asc(appLogs.id));
  return rows.map(toAppLogEntry);
}

async function failure(work: Promise<unknown>): Promise<{ status: ErrorStatus; message: string }> {
  const error: unknown = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { status: error.status, message: error.message };
}

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('[DATA SOURCES]: data sources', () => {
  it('creates, lists and gets data sources of the app', async () => {
    const source = await createDataSource(test.db, scope, { name: ' Staff ', columns: ['Name'] });
    expect(source).toMatchObject({ name: 'Staff', columns: ['Name'], appId: scope.appId });
    expect(source.createdAt).toMatch(iso);
    expect(await getDataSource(test.db, scope.appId, source.id)).toEqual(source);
    expect(await getDataSourceByName(test.db, scope.appId, 'Staff')).toEqual(source);
    expect((await listDataSources(test.db, scope.appId)).map((s) => s.id)).toContain(source.id);
    expect(await listDataSources(test.db, other.appId)).toEqual([]);
  });

  it('rejects a repeated or empty name', async () => {
    await createDataSource(test.db, scope, { name: 'Unique' });
    const repeated = await failure(createDataSource(test.db, scope, { name: 'Unique' }));
    expect(repeated.status).toBe('NAME_ALREADY_EXISTS');
    expect((await failure(createDataSource(test.db, scope, { name: '  ' }))).status).toBe(
      'BAD_REQUEST',
    );
    // Names are unique per app only.
    await expect(createDataSource(test.db, other, { name: 'Unique' })).resolves.toBeDefined();
  });

  it('refuses names and columns with NUL, control characters or broken surrogates', async () => {
    const before = await listDataSources(test.db, scope.appId);
    const cases: [{ name: string; columns?: string[] }, string][] = [
      [{ name: '\u0000nul' }, 'data source: name: cannot contain a NUL character (\\u0000)'],
      [{ name: 'lone \ud800' }, 'data source: name: cannot contain a broken UTF-16 surrogate'],
      [{ name: 'two\nlines' }, 'data source: name: cannot contain a control character'],
      [{ name: 'Ok', columns: ['A', 'B\u0000'] }, 'data source: columns.1: cannot contain a NUL'],
      [{ name: 'Ok', columns: ['\udfff'] }, 'data source: columns.0: cannot contain a broken'],
      [{ name: 'Ok', columns: ['tab\t'] }, 'data source: columns.0: cannot contain a control'],
    ];
    for (const [input, message] of cases) {
      const error = await failure(createDataSource(test.db, scope, input));
      expect({ input, error }).toEqual({
        input,
        error: { status: 'BAD_REQUEST', message: expect.stringContaining(message) },
      });
    }
    expect(await listDataSources(test.db, scope.appId)).toEqual(before);
    // Any other Unicode is a fine name, stored exactly.
    const named = await createDataSource(test.db, scope, { name: 'Ünïcødé 🙂 名前' });
    expect((await getDataSource(test.db, scope.appId, named.id)).name).toBe('Ünïcødé 🙂 名前');
    const byName = getDataSourceByName(test.db, scope.appId, 'x\u0000');
    expect(await failure(byName)).toMatchObject({ status: 'BAD_REQUEST' });
  });
});

describe('[DATA SOURCES]: app scoping', () => {
  it("answers DATA_SOURCE_NOT_FOUND for another app's data source", async () => {
    const theirs = await createDataSource(test.db, other, { name: 'Theirs' });
    const entry = await insertEntry(test.db, other, theirs.id, { Secret: 1 });
    // Thunks, so each call starts only when awaited.
    const attempts: (() => Promise<unknown>)[] = [
      () => getDataSource(test.db, scope.appId, theirs.id),
      () => getDataSourceByName(test.db, scope.appId, 'Theirs'),
      () => findEntries(test.db, scope.appId, theirs.id),
      () => findOne(test.db, scope.appId, theirs.id),
      () => findById(test.db, scope.appId, theirs.id, entry.id),
      () => countEntries(test.db, scope.appId, theirs.id),
      () => insertEntry(test.db, scope, theirs.id, { A: 1 }),
      () => updateEntry(test.db, scope, theirs.id, entry.id, { Secret: 2 }),
      () => removeEntry(test.db, scope, theirs.id, entry.id),
      () => commitEntries(test.db, scope, theirs.id, { entries: [] }),
    ];
    for (const attempt of attempts) {
      expect((await failure(attempt())).status).toBe('DATA_SOURCE_NOT_FOUND');
    }
    expect(await findById(test.db, other.appId, theirs.id, entry.id)).toMatchObject({
      data: { Secret: 1 },
    });
  });

  it('treats ids that cannot name a row as not found', async () => {
    for (const id of [0, -1, 1.5, 2 ** 40]) {
      expect((await failure(getDataSource(test.db, scope.appId, id))).status).toBe(
        'DATA_SOURCE_NOT_FOUND',
      );
    }
  });
});

describe('[DATA SOURCES]: entries', () => {
  it('inserts an entry, returns its shape and logs the creation', async () => {
    const source = await newSource(['Name']);
    const entry = await insertEntry(test.db, scope, source.id, { Name: 'Nick', Age: 30 });
    const keys = ['createdAt', 'data', 'dataSourceId', 'id', 'updatedAt'];
    expect(Object.keys(entry).sort()).toEqual(keys);
    expect(entry).toMatchObject({ data: { Name: 'Nick', Age: 30 }, dataSourceId: source.id });
    expect(entry.createdAt).toMatch(iso);
    expect(entry.updatedAt).toMatch(iso);
    expect(await findById(test.db, scope.appId, source.id, entry.id)).toEqual(entry);

    const [log] = await logsOf(source.id);
    expect(log).toMatchObject({
      type: 'dataSource.entry.create',
      appId: scope.appId,
      organizationId: scope.organizationId,
      userId: 42,
      dataSourceId: source.id,
      dataSourceEntryId: entry.id,
      appNotificationId: null,
      sessionId: null,
      data: { columns: ['Name', 'Age'], entry: { Name: 'Nick', Age: 30 } },
    });
    expect(JSON.parse(log?.dataString ?? '')).toEqual(log?.data);
    expect(log?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('remembers new columns on the data source, in first-seen order', async () => {
    const source = await newSource(['Name']);
    await insertEntry(test.db, scope, source.id, { Name: 'a', Email: 'a@x' });
    await insertEntry(test.db, scope, source.id, { Phone: '1', Email: 'b@x' });
    const stored = await getDataSource(test.db, scope.appId, source.id);
    expect(stored.columns).toEqual(['Name', 'Email', 'Phone']);
  });

  it('lists a column once when concurrent writers add it', async () => {
    const source = await newSource();
    const writes = Array.from({ length: 12 }, (_, i) =>
      insertEntry(test.db, scope, source.id, { Fresh: i, [`Own${i % 3}`]: true }),
    );
    await Promise.all(writes);
    const { columns } = await getDataSource(test.db, scope.appId, source.id);
    expect([...columns].sort()).toEqual(['Fresh', 'Own0', 'Own1', 'Own2']);
  });

  it('updates by shallow merge and logs only the columns that changed', async () => {
    const source = await newSource();
    const entry = await insertEntry(test.db, scope, source.id, { A: 1, B: { x: 1 }, C: 'keep' });
    const updated = await updateEntry(test.db, scope, source.id, entry.id, {
      A: 2,
      B: { x: 1 },
      D: null,
    });
    expect(updated.data).toEqual({ A: 2, B: { x: 1 }, C: 'keep', D: null });
    expect(updated.createdAt).toBe(entry.createdAt);

    const [, log] = await logsOf(source.id);
    expect(log).toMatchObject({
      type: 'dataSource.entry.update',
      dataSourceEntryId: entry.id,
      data: { columns: ['A', 'D'], previous: { A: 1 }, entry: updated.data },
    });
  });

  it('answers ENTRY_NOT_FOUND for an entry outside the data source', async () => {
    const source = await newSource();
    const elsewhere = await newSource();
    const entry = await insertEntry(test.db, scope, elsewhere.id, { A: 1 });
    const update = updateEntry(test.db, scope, source.id, entry.id, { A: 2 });
    expect((await failure(update)).status).toBe('ENTRY_NOT_FOUND');
    const remove = removeEntry(test.db, scope, source.id, entry.id);
    expect((await failure(remove)).status).toBe('ENTRY_NOT_FOUND');
    expect(await findById(test.db, scope.appId, source.id, entry.id)).toBeNull();
    expect(await logsOf(source.id)).toEqual([]);
  });

  it('removes an entry and logs its last data', async () => {
    const source = await newSource();
    const entry = await insertEntry(test.db, scope, source.id, { Name: 'gone' });
    await removeEntry(test.db, scope, source.id, entry.id);
    expect(await findById(test.db, scope.appId, source.id, entry.id)).toBeNull();
    const logs = await logsOf(source.id);
    const types = logs.map((log) => log.type);
    expect(types).toEqual(['dataSource.entry.create', 'dataSource.entry.delete']);
    expect(logs[1]?.data).toEqual({ columns: ['Name'], entry: { Name: 'gone' } });
  });

  it('finds one entry and counts matches', async () => {
    const source = await newSource();
    for (const n of [3, 1, 2]) await insertEntry(test.db, scope, source.id, { n });
    const first = await findOne(test.db, scope.appId, source.id, { order: { n: 'asc' } });
    expect(first?.data).toEqual({ n: 1 });
    expect(await findOne(test.db, scope.appId, source.id, { where: { n: 9 } })).toBeNull();
    expect(await countEntries(test.db, scope.appId, source.id, { n: { $gte: 2 } })).toBe(2);
    expect(await countEntries(test.db, scope.appId, source.id)).toBe(3);
  });

  it('rejects values that are not JSON, or text jsonb cannot hold', async () => {
    const source = await newSource();
    const date = insertEntry(test.db, scope, source.id, { When: new Date() });
    expect(await failure(date)).toMatchObject({ status: 'BAD_REQUEST' });
    const nan = insertEntry(test.db, scope, source.id, { N: [Number.NaN] });
    expect(await failure(nan)).toMatchObject({ status: 'BAD_REQUEST' });
    const nul = await failure(insertEntry(test.db, scope, source.id, { A: 'a\u0000b' }));
    expect(nul.status).toBe('BAD_REQUEST');
  });

  it('refuses data jsonb cannot hold or nested past 64 levels, in every write', async () => {
    const source = await newSource();
    const entry = await insertEntry(test.db, scope, source.id, { Name: 'kept' });
    const logCount = (await logsOf(source.id)).length;
    // `levels` objects, one inside the other: the entry data itself is level 1.
    const nested = (levels: number) => {
      let value: Record<string, unknown> = { leaf: true };
      for (let level = 1; level < levels; level += 1) value = { a: value };
      return value;
    };
    // The message names where the fault is, after the label of the call (`entry data: `, or
    // `commit: entries.0.data.` for a commit and a replacing save).
    const faults: [Record<string, unknown>, string][] = [
      [{ A: '\ud800' }, 'A: contains a broken UTF-16 surrogate'],
      [{ A: ['ok', { B: 'x\u0000' }] }, 'A.1.B: contains a NUL character'],
      [{ A: { ['\udc00']: 1 } }, 'A: has a key with a broken UTF-16 surrogate'],
      [nested(65), 'a.a.a.a.a.a.a.a: … is nested deeper than 64 levels'],
      // 100,000 levels fit in far less than 1 MB; they must not overflow the stack.
      [nested(100_000), 'is nested deeper than 64 levels'],
    ];
    for (const [data, message] of faults) {
      // Thunks, so each call starts only when awaited.
      const attempts = {
        insert: () => insertEntry(test.db, scope, source.id, data),
        update: () => updateEntry(test.db, scope, source.id, entry.id, data),
        replace: () => replaceEntry(test.db, scope, source.id, entry.id, data),
        commit: () => commitEntries(test.db, scope, source.id, { entries: [{ data }] }),
      };
      for (const [kind, attempt] of Object.entries(attempts)) {
        const error = await failure(attempt());
        expect({ kind, message, error }).toEqual({
          kind,
          message,
          error: { status: 'BAD_REQUEST', message: expect.stringContaining(message) },
        });
      }
    }
    expect(await findEntries(test.db, scope.appId, source.id)).toEqual([entry]);
    expect(await logsOf(source.id)).toHaveLength(logCount);
    expect((await getDataSource(test.db, scope.appId, source.id)).columns).toEqual(['Name']);

    const deepest = nested(64);
    const stored = await insertEntry(test.db, scope, source.id, deepest);
    expect(stored.data).toEqual(deepest);
    const text = { emoji: '🙂', accents: 'é', escapes: '\t\n' };
    expect((await insertEntry(test.db, scope, source.id, text)).data).toEqual(text);
  });
});

describe('[DATA SOURCES]: commit', () => {
  it('replaces the data source contents and logs each change', async () => {
    const source = await newSource();
    const keep = await insertEntry(test.db, scope, source.id, { Name: 'keep', N: 1 });
    const same = await insertEntry(test.db, scope, source.id, { Name: 'same' });
    const drop = await insertEntry(test.db, scope, source.id, { Name: 'drop' });
    const before = (await logsOf(source.id)).length;

    const result = await commitEntries(test.db, scope, source.id, {
      entries: [
        { data: { Name: 'new' } },
        { ...same },
        { id: keep.id, data: { Name: 'keep', N: 2 } },
      ],
    });
    expect(result.entries.map((entry) => entry.data.Name)).toEqual(['new', 'same', 'keep']);
    expect(result.entries[1]).toEqual(same);
    expect(result.entries[2]?.data).toEqual({ Name: 'keep', N: 2 });
    expect(result.deletedIds).toEqual([drop.id]);

    const rows = await findEntries(test.db, scope.appId, source.id);
    expect(rows.map((entry) => entry.data.Name)).toEqual(['keep', 'same', 'new']);
    const logs = (await logsOf(source.id)).slice(before);
    expect(logs.map((log) => [log.type, log.dataSourceEntryId])).toEqual([
      ['dataSource.entry.create', result.entries[0]?.id],
      ['dataSource.entry.update', keep.id],
      ['dataSource.entry.delete', drop.id],
    ]);
    expect(logs[1]?.data).toMatchObject({ columns: ['N'], previous: { N: 1 } });
  });

  it('replaces the data of committed entries rather than merging it', async () => {
    const source = await newSource();
    const entry = await insertEntry(test.db, scope, source.id, { A: 1, B: 2 });
    await commitEntries(test.db, scope, source.id, { entries: [{ id: entry.id, data: { A: 1 } }] });
    expect((await findById(test.db, scope.appId, source.id, entry.id))?.data).toEqual({ A: 1 });
  });

  it('appends, updates and deletes only what is named', async () => {
    const source = await newSource();
    const a = await insertEntry(test.db, scope, source.id, { Name: 'a' });
    const b = await insertEntry(test.db, scope, source.id, { Name: 'b' });
    const c = await insertEntry(test.db, scope, source.id, { Name: 'c' });
    const result = await commitEntries(test.db, scope, source.id, {
      entries: [{ data: { Name: 'd' } }, { id: b.id, data: { Name: 'B' } }],
      append: true,
      delete: [c.id],
    });
    expect(result.deletedIds).toEqual([c.id]);
    const rows = await findEntries(test.db, scope.appId, source.id);
    expect(rows.map((entry) => [entry.id, entry.data.Name])).toEqual([
      [a.id, 'a'],
      [b.id, 'B'],
      [result.entries[0]?.id, 'd'],
    ]);
  });

  it('changes nothing when an id is unknown', async () => {
    const source = await newSource();
    const entry = await insertEntry(test.db, scope, source.id, { Name: 'a' });
    const logCount = (await logsOf(source.id)).length;
    const attempt = commitEntries(test.db, scope, source.id, {
      entries: [{ data: { Name: 'new' } }, { id: 999_999, data: { Name: 'x' } }],
    });
    const error = await failure(attempt);
    expect(error).toMatchObject({ status: 'ENTRY_NOT_FOUND' });
    expect(error.message).toContain('999999');
    expect(await findEntries(test.db, scope.appId, source.id)).toEqual([entry]);
    expect(await logsOf(source.id)).toHaveLength(logCount);
  });

  it('rejects contradictory commits', async () => {
    const source = await newSource();
    const entry = await insertEntry(test.db, scope, source.id, { Name: 'a' });
    const cases = [
      { entries: [], delete: [entry.id] },
      { entries: [{ id: entry.id, data: {} }, { id: entry.id, data: {} }] },
      { entries: [{ id: entry.id, data: {} }], append: true, delete: [entry.id] },
    ];
    for (const input of cases) {
      const error = await failure(commitEntries(test.db, scope, source.id, input));
      expect(error.status).toBe('BAD_REQUEST');
    }
    expect(await findEntries(test.db, scope.appId, source.id)).toEqual([entry]);
  });

  it('commits thousands of entries in order, with one log each', async () => {
    const source = await newSource();
    const entries = Array.from({ length: 6500 }, (_, i) => ({ data: { i } }));
    const result = await commitEntries(test.db, scope, source.id, { entries });
    expect(result.entries.map((entry) => entry.data.i)).toEqual(entries.map((e) => e.data.i));
    expect(await countEntries(test.db, scope.appId, source.id)).toBe(6500);
    const logged = await test.db.$count(appLogs, eq(appLogs.dataSourceId, source.id));
    expect(logged).toBe(6500);

    const kept = result.entries.filter((entry) => entry.id % 2 === 0);
    const again = await commitEntries(test.db, scope, source.id, { entries: kept });
    expect(again.deletedIds).toHaveLength(6500 - kept.length);
    expect(await countEntries(test.db, scope.appId, source.id)).toBe(kept.length);
  });

  it('empties the data source when replacing with no entries', async () => {
    const source = await newSource();
    await insertEntry(test.db, scope, source.id, { Name: 'a' });
    await insertEntry(test.db, scope, source.id, { Name: 'b' });
    const result = await commitEntries(test.db, scope, source.id, { entries: [] });
    expect(result.deletedIds).toHaveLength(2);
    expect(await countEntries(test.db, scope.appId, source.id)).toBe(0);
  });
});

describe('[DATA SOURCES]: app logs share the change transaction', () => {
  it('a rolled-back change leaves neither entry nor log', async () => {
    const source = await newSource();
    const attempt = test.db.transaction(async (tx) => {
      await insertEntry(tx, scope, source.id, { Name: 'rolled back' });
      tx.rollback();
    });
    await expect(attempt).rejects.toThrow();
    expect(await countEntries(test.db, scope.appId, source.id)).toBe(0);
    expect(await logsOf(source.id)).toEqual([]);
  });

  it('a failing log write undoes the change', async () => {
    await test.db.execute(sql`
      create function refuse_log() returns trigger language plpgsql as $$
      begin
        if new.data -> 'entry' ->> 'Name' = 'refused' then raise exception 'log refused'; end if;
        return new;
      end $$`);
    await test.db.execute(sql`
      create trigger refuse_log before insert on app_logs
      for each row execute function refuse_log()`);
    const source = await newSource();
    const kept = await insertEntry(test.db, scope, source.id, { Name: 'kept' });

    await expect(insertEntry(test.db, scope, source.id, { Name: 'refused' })).rejects.toThrow();
    const update = updateEntry(test.db, scope, source.id, kept.id, { Name: 'refused' });
    await expect(update).rejects.toThrow();
    const commit = commitEntries(test.db, scope, source.id, {
      entries: [{ data: { Name: 'fine' } }, { data: { Name: 'refused' } }],
    });
    await expect(commit).rejects.toThrow();

    expect(await findEntries(test.db, scope.appId, source.id)).toEqual([kept]);
    expect((await logsOf(source.id)).map((log) => log.type)).toEqual(['dataSource.entry.create']);
    await test.db.execute(sql`drop trigger refuse_log on app_logs`);
  });
});
