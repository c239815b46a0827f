import ivm from 'isolated-vm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isAppError } from '../../errors';
import { logger } from '../../log';
import type { PlatformScope } from '../types';
import { dataSourcesPackage } from './package';
import { createDataSource, findEntries, insertEntry, type DataSourceScope } from './service';
import { createTestDatabase, seedApp, type TestDatabase } from './test-database';

let test: TestDatabase;
let app: DataSourceScope;
let other: DataSourceScope;
let isolate: ivm.Isolate;
let context: ivm.Context;

beforeAll(async () => {
  test = await createTestDatabase();
  app = await seedApp(test.db, 'Main');
  other = await seedApp(test.db, 'Other');
});

afterAll(async () => {
  await test?.drop();
});

beforeEach(async () => {
  isolate = new ivm.Isolate({ memoryLimit: 64 });
  context = await isolate.createContext();
  await loadShim(context, scopeFor(app));
});

afterEach(() => {
  isolate.dispose();
});

function scopeFor(owner: DataSourceScope): PlatformScope {
  return { ...owner, db: test.db, logger, runId: 'run-1', chainDepth: 0 };
}

/**
 * A minimal stand-in for the runner's bridge: calls cross as JSON text, host errors come back
 * as `{ name, status, message }` and are rethrown inside the isolate as Errors.
 */
async function loadShim(target: ivm.Context, scope: PlatformScope): Promise<void> {
  const host = dataSourcesPackage.host(scope);
  const bridge = new ivm.Reference(async (namespace: string, method: string, args: string) => {
    try {
      const run = namespace === dataSourcesPackage.namespace ? host[method] : undefined;
      if (!run) throw new Error(`no host method ${namespace}.${method}`);
      const parsed: unknown = JSON.parse(args);
      const value = await run(Array.isArray(parsed) ? parsed : [], new AbortController().signal);
      return JSON.stringify({ ok: true, value });
    } catch (error) {
      const status = isAppError(error) ? error.status : 'INTERNAL_ERROR';
      const message = error instanceof Error ? error.message : String(error);
      return JSON.stringify({ ok: false, status, message });
    }
  });
  await target.global.set('__bridge', bridge);
  await target.eval(`
    globalThis.Fliplet = {};
    globalThis.__hostCall = (function (bridge) {
      return function (namespace, method, args) {
        const options = { arguments: { copy: true }, result: { promise: true, copy: true } };
        return bridge.apply(undefined, [namespace, method, JSON.stringify(args)], options)
          .then(function (text) {
            const answer = JSON.parse(text);
            if (answer.ok) return answer.value;
            const error = new Error(answer.message);
            error.name = answer.status;
            throw error;
          });
      };
    })(__bridge);
    delete globalThis.__bridge;
  `);
  await target.eval(dataSourcesPackage.shim);
  await target.eval('delete globalThis.__hostCall;');
}

/** Runs an action body in the isolate and returns its JSON result (errors as `{ error }`). */
async function run(body: string): Promise<unknown> {
  const code = `(async () => {
    try { return { value: await (async () => { ${body} })() }; }
    catch (e) { return { error: { name: e.name, message: e.message } }; }
  })().then(JSON.stringify)`;
  const text: unknown = await context.eval(code, { promise: true, timeout: 10_000 });
  return JSON.parse(String(text));
}

describe('[DATA SOURCES]: shim and host inside an isolate', () => {
  it('defines Fliplet.DataSources without leaking the host call', async () => {
    const result = await run(`return [typeof globalThis.__hostCall,
      Object.keys(Fliplet.DataSources).sort()]`);
    expect(result).toEqual({ value: ['undefined', ['connect', 'connectByName', 'create', 'get']] });
  });

  it('inserts, finds and updates through a connection', async () => {
    const source = await createDataSource(test.db, app, { name: 'Bookings' });
    const result = await run(`
      const connection = await Fliplet.DataSources.connect(${source.id});
      const first = await connection.insert({ Name: 'Nick', Status: 'New', Seats: 2 });
      await connection.insert({ Name: 'Ann', Status: 'New', Seats: 5 });
      const updated = await connection.update(first.id, { Status: 'Confirmed' });
      const big = await connection.find({ where: { Seats: { $gte: 3 } }, attributes: ['Name'] });
      const page = await connection.find({ order: [['Name', 'asc']], includePagination: true });
      const one = await connection.findOne({ where: { Status: 'Confirmed' } });
      const byId = await connection.findById(first.id);
      return { updated: updated.data, big: big.map((e) => e.data), one: one.id === first.id,
        names: page.entries.map((e) => e.data.Name), total: page.pagination.total,
        byId: byId.data.Status, id: connection.id, name: connection.name };
    `);
    expect(result).toEqual({
      value: {
        updated: { Name: 'Nick', Status: 'Confirmed', Seats: 2 },
        big: [{ Name: 'Ann' }],
        one: true,
        names: ['Ann', 'Nick'],
        total: 2,
        byId: 'Confirmed',
        id: source.id,
        name: 'Bookings',
      },
    });
  });

  it('connects by name, commits and removes', async () => {
    const source = await createDataSource(test.db, app, { name: 'Staff' });
    await insertEntry(test.db, app, source.id, { Name: 'old' });
    const result = await run(`
      const connection = await Fliplet.DataSources.connectByName('Staff');
      const committed = await connection.commit({ entries: [{ data: { Name: 'a' } },
        { data: { Name: 'b' } }] });
      await connection.removeById(committed.entries[0].id);
      const missing = await connection.findById(committed.entries[0].id);
      return { deleted: committed.deletedIds.length, missing, left: await connection.find() };
    `);
    const entries = await findEntries(test.db, app.appId, source.id);
    expect(entries.map((entry) => entry.data)).toEqual([{ Name: 'b' }]);
    expect(result).toEqual({ value: { deleted: 1, missing: null, left: entries } });
  });

  it('creates and lists data sources of its own app only', async () => {
    await createDataSource(test.db, other, { name: 'Not mine' });
    const result = await run(`
      const created = await Fliplet.DataSources.create({ name: 'Made inside', columns: ['A'] });
      const all = await Fliplet.DataSources.get();
      return { created: created.name, names: all.map((s) => s.name) };
    `);
    expect(result).toMatchObject({ value: { created: 'Made inside' } });
    expect(JSON.stringify(result)).not.toContain('Not mine');
  });

  it("rejects an unknown id and another app's data source", async () => {
    const theirs = await createDataSource(test.db, other, { name: 'Theirs' });
    for (const target of ['999999', String(theirs.id), "'Theirs'"]) {
      const method = target.startsWith("'") ? 'connectByName' : 'connect';
      const result = await run(`return await Fliplet.DataSources.${method}(${target});`);
      expect(result).toMatchObject({ error: { name: 'DATA_SOURCE_NOT_FOUND' } });
    }
  });

  it('rejects bad arguments with a message naming them', async () => {
    const source = await createDataSource(test.db, app, { name: 'Strict' });
    const calls = {
      "connection.insert('text')": 'DataSources.insert: data',
      'connection.update(0, {})': 'DataSources.update: id',
      "connection.find({ wher: { A: 1 } })": 'wher',
      "connection.find({ where: { A: { $near: 1 } } })": '$near',
      "connection.commit({ entries: [{ Name: 'x' }] })": 'DataSources.commit: options.entries',
      'connection.findById()': 'DataSources.findById(dataSourceId, id): missing id',
      'connection.removeById(1, 2)': 'too many arguments',
    };
    for (const [call, expected] of Object.entries(calls)) {
      const result = await run(`const connection = await Fliplet.DataSources.connect(
        ${source.id}); return await ${call};`);
      expect(result).toMatchObject({ error: { name: 'BAD_REQUEST' } });
      expect(JSON.stringify(result)).toContain(expected);
    }
  });

  it('refuses text Postgres cannot store, or data nested past 64 levels', async () => {
    const source = await createDataSource(test.db, app, { name: 'Guarded' });
    await insertEntry(test.db, app, source.id, { Name: 'kept' });
    const deep = "let deep = 1; for (let i = 0; i < 5000; i += 1) deep = { a: deep };";
    const calls = {
      "Fliplet.DataSources.create({ name: 'nul \\u0000' })":
        'DataSources.create: options.name: cannot contain a NUL character',
      "Fliplet.DataSources.create({ name: 'lone \\ud800' })":
        'DataSources.create: options.name: cannot contain a broken UTF-16 surrogate',
      "Fliplet.DataSources.connectByName('x\\u0000')":
        'data source name: cannot contain a NUL character',
      "connection.insert({ Name: '\\ud800' })":
        'DataSources.insert: data.Name: contains a broken UTF-16 surrogate',
      'connection.insert({ Name: deep })':
        'DataSources.insert: data.Name.a.a.a.a.a.a.a: … is nested deeper than 64 levels',
      "connection.commit({ entries: [{ data: { Name: deep } }] })": 'is nested deeper than 64',
      "connection.find({ where: { Name: 'a\\u0000' } })":
        'where.Name: contains a NUL character',
    };
    for (const [call, expected] of Object.entries(calls)) {
      const result = await run(`${deep}
        const connection = await Fliplet.DataSources.connect(${source.id});
        return await ${call};`);
      expect({ call, result }).toMatchObject({
        call,
        result: { error: { name: 'BAD_REQUEST', message: expect.stringContaining(expected) } },
      });
    }
    const entries = await findEntries(test.db, app.appId, source.id);
    expect(entries.map((entry) => entry.data)).toEqual([{ Name: 'kept' }]);
    const names = (await run('return (await Fliplet.DataSources.get()).map((s) => s.name);')) as {
      value: string[];
    };
    expect(names.value.filter((name) => name.startsWith('nul') || name.startsWith('lone')))
      .toEqual([]);
  });

  it('accepts an id sent as digit text and treats a missing option as none', async () => {
    const source = await createDataSource(test.db, app, { name: 'Loose' });
    await insertEntry(test.db, app, source.id, { A: 1 });
    const result = await run(`
      const connection = await Fliplet.DataSources.connect('${source.id}');
      return (await connection.find(undefined)).length;
    `);
    expect(result).toEqual({ value: 1 });
  });
});
