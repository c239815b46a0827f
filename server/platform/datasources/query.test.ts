import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isAppError } from '../../errors';
import type { FindQueryInput, Where } from './query';
import { commitEntries, createDataSource, findEntries, type DataSourceScope } from './service';
import { createTestDatabase, seedApp, type TestDatabase } from './test-database';

// One fixed table; each test names the rows it expects, in id order unless it orders.
const people = [
  { Name: 'alice', Age: 30, City: 'dublin', Active: true, Score: '12', Tags: ['a', 'b'] },
  { Name: 'bob', Age: '25', City: 'london', Active: false, Score: 7 },
  { Name: 'carol', Age: 41.5, City: null, Active: 'true', Score: 'n/a' },
  { Name: 'dave', Age: 'unknown', Active: true },
  { Name: 'eve', Age: 19, City: 'Dublin', Score: 100 },
  { Name: 'frank', Age: ' 1e2 ', City: 'rome', Nested: { a: 1, b: [2] } },
];

let test: TestDatabase;
let scope: DataSourceScope;
let sourceId: number;

beforeAll(async () => {
  test = await createTestDatabase();
  scope = await seedApp(test.db);
  const source = await createDataSource(test.db, scope, { name: 'People' });
  sourceId = source.id;
  await commitEntries(test.db, scope, sourceId, { entries: people.map((data) => ({ data })) });
});

afterAll(async () => {
  await test?.drop();
});

type Options = Omit<FindQueryInput, 'where' | 'includePagination'>;

async function names(where: Where, options: Options = {}) {
  const entries = await findEntries(test.db, scope.appId, sourceId, { ...options, where });
  return entries.map((entry) => entry.data.Name);
}

async function badRequest(where: Where): Promise<string> {
  const error: unknown = await names(where).catch((caught: unknown) => caught);
  expect(isAppError(error) && error.status).toBe('BAD_REQUEST');
  return error instanceof Error ? error.message : '';
}

describe('[DATA SOURCES]: where equality and coercion', () => {
  it('matches plain values, all keys together', async () => {
    expect(await names({})).toEqual(['alice', 'bob', 'carol', 'dave', 'eve', 'frank']);
    expect(await names({ City: 'dublin' })).toEqual(['alice']);
    expect(await names({ City: 'dublin', Age: 31 })).toEqual([]);
  });

  it('compares a number operand numerically, numeric strings included', async () => {
    expect(await names({ Age: 25 })).toEqual(['bob']);
    expect(await names({ Age: 100 })).toEqual(['frank']);
    expect(await names({ Score: 12 })).toEqual(['alice']);
  });

  it('compares a string operand with the text form of the value', async () => {
    expect(await names({ Age: '30' })).toEqual(['alice']);
    expect(await names({ Age: '41.5' })).toEqual(['carol']);
    expect(await names({ Age: { $gt: '3' } })).toEqual(['alice', 'carol', 'dave']);
  });

  it('matches booleans and their text, null and missing alike', async () => {
    expect(await names({ Active: true })).toEqual(['alice', 'carol', 'dave']);
    expect(await names({ Active: false })).toEqual(['bob']);
    expect(await names({ City: null })).toEqual(['carol', 'dave']);
  });

  it('compares objects and arrays as whole JSON values', async () => {
    expect(await names({ Nested: { b: [2], a: 1 } })).toEqual(['frank']);
    expect(await names({ Tags: ['a', 'b'] })).toEqual(['alice']);
    expect(await names({ Tags: ['b', 'a'] })).toEqual([]);
    expect(await names({ Nested: { $eq: { a: 1, b: [2] } } })).toEqual(['frank']);
  });
});

describe('[DATA SOURCES]: where operators', () => {
  it('$eq and $ne, where $ne keeps entries without the column', async () => {
    expect(await names({ City: { $eq: 'rome' } })).toEqual(['frank']);
    const others = ['bob', 'carol', 'dave', 'eve', 'frank'];
    expect(await names({ City: { $ne: 'dublin' } })).toEqual(others);
    expect(await names({ City: { $ne: null } })).toEqual(['alice', 'bob', 'eve', 'frank']);
  });

  it('$gt $gte $lt $lte on numbers skip values that are not numeric', async () => {
    expect(await names({ Age: { $gt: 30 } })).toEqual(['carol', 'frank']);
    expect(await names({ Age: { $gte: 30 } })).toEqual(['alice', 'carol', 'frank']);
    expect(await names({ Age: { $lt: 25 } })).toEqual(['eve']);
    expect(await names({ Age: { $lte: 25 } })).toEqual(['bob', 'eve']);
    expect(await names({ Age: { $gt: 20, $lt: 41.5 } })).toEqual(['alice', 'bob']);
  });

  it('$gt and $lt on strings compare text', async () => {
    expect(await names({ Name: { $gte: 'carol', $lt: 'eve' } })).toEqual(['carol', 'dave']);
  });

  it('$in and $nin mix kinds of operands', async () => {
    expect(await names({ Name: { $in: ['alice', 'eve'] } })).toEqual(['alice', 'eve']);
    const mixed = { $in: [30, 'unknown', 100] };
    expect(await names({ Age: mixed })).toEqual(['alice', 'dave', 'frank']);
    expect(await names({ City: { $in: [null, 'rome'] } })).toEqual(['carol', 'dave', 'frank']);
    expect(await names({ Tags: { $in: [['a', 'b']] } })).toEqual(['alice']);
    expect(await names({ Age: { $in: [] } })).toEqual([]);
    expect(await names({ Age: { $nin: [30, 19] } })).toEqual(['bob', 'carol', 'dave', 'frank']);
  });

  it('$regex, with $options "i", on the text form', async () => {
    expect(await names({ City: { $regex: '^d' } })).toEqual(['alice']);
    expect(await names({ City: { $regex: '^d', $options: 'i' } })).toEqual(['alice', 'eve']);
    expect(await names({ Age: { $regex: '^4' } })).toEqual(['carol']);
  });

  it('$like and $iLike', async () => {
    expect(await names({ City: { $like: 'd%' } })).toEqual(['alice']);
    expect(await names({ City: { $iLike: 'D%N' } })).toEqual(['alice', 'eve']);
    expect(await names({ Name: { $like: '_o%' } })).toEqual(['bob']);
  });

  it('$exists counts a column holding null as present', async () => {
    const present = ['alice', 'bob', 'carol', 'eve', 'frank'];
    expect(await names({ City: { $exists: true } })).toEqual(present);
    expect(await names({ City: { $exists: false } })).toEqual(['dave']);
  });
});

describe('[DATA SOURCES]: nested conditions', () => {
  it('$or and $and at the top level, nested', async () => {
    const older = { $and: [{ Age: { $gte: 40 } }, { Active: 'true' }] };
    const where = { $or: [{ City: 'dublin' }, older] };
    expect(await names(where)).toEqual(['alice', 'carol']);
  });

  it('$not at the top level negates a whole condition', async () => {
    expect(await names({ $not: { Active: true } })).toEqual(['bob', 'eve', 'frank']);
    expect(await names({ $not: { $or: [{ Name: 'alice' }, { Name: 'bob' }] } })).toEqual([
      'carol',
      'dave',
      'eve',
      'frank',
    ]);
  });

  it('$not, $or and $and on one column', async () => {
    expect(await names({ Age: { $not: { $gt: 20 } } })).toEqual(['dave', 'eve']);
    const outside = { $or: [{ $lt: 20 }, { $gt: 40 }] };
    expect(await names({ Age: outside })).toEqual(['carol', 'eve', 'frank']);
    const between = { $and: [{ $gt: 20 }, { $ne: 30 }] };
    expect(await names({ Age: between })).toEqual(['bob', 'carol', 'frank']);
  });

  it('empty $and matches everything and empty $or nothing', async () => {
    expect(await names({ $and: [] })).toHaveLength(people.length);
    expect(await names({ $or: [] })).toEqual([]);
  });
});

describe('[DATA SOURCES]: bad where input', () => {
  it('names an unknown operator', async () => {
    expect(await badRequest({ Age: { $foo: 1 } })).toContain('$foo');
    expect(await badRequest({ $xor: [] })).toContain('$xor');
  });

  it('rejects malformed operands', async () => {
    expect(await badRequest({ Age: { $gt: true } })).toContain('$gt');
    expect(await badRequest({ Age: { $in: 3 } })).toContain('$in needs an array');
    expect(await badRequest({ Age: { $exists: 'yes' } })).toContain('$exists');
    expect(await badRequest({ Age: { $regex: 5 } })).toContain('$regex');
    expect(await badRequest({ Age: { $options: 'i' } })).toContain('$options');
    expect(await badRequest({ Nested: { $gt: 1, a: 1 } })).toContain('mixes operators');
    expect(await badRequest({ $and: [3] })).toContain('must be objects');
  });

  it('reports an invalid regular expression as bad input', async () => {
    expect(await badRequest({ Name: { $regex: '(' } })).toContain('regular expression');
  });

  it('limits nesting depth: 16 levels of conditions, 64 levels of JSON', async () => {
    const wrapped = (levels: number) => {
      let where: Where = { Name: 'alice' };
      for (let level = 0; level < levels; level += 1) where = { $and: [where] };
      return where;
    };
    expect(await names(wrapped(16))).toEqual(['alice']);
    expect(await badRequest(wrapped(17))).toContain('nested more than 16 levels deep');
    expect(await badRequest(wrapped(40))).toContain('is nested deeper than 64 levels');
    // An operand is JSON too: one nested 100,000 levels is refused, not a stack overflow.
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(await badRequest({ Tags: { $eq: deep } })).toContain('is nested deeper than 64 levels');
  });

  it('refuses text Postgres cannot take in values, keys, attributes and order', async () => {
    const cases: [FindQueryInput, string][] = [
      [{ where: { Name: 'a\u0000b' } }, 'where.Name: contains a NUL character'],
      [{ where: { Name: { $in: ['\ud800'] } } }, 'where.Name.$in.0: contains a broken UTF-16'],
      [{ where: { ['N\u0000']: 1 } }, 'where: has a key with a NUL character'],
      [{ attributes: ['Name', 'x\u0000'] }, 'attributes.1: cannot contain a NUL character'],
      [{ order: [['\udc00', 'asc']] }, 'order.0.0: cannot contain a broken UTF-16 surrogate'],
    ];
    for (const [query, message] of cases) {
      const error: unknown = await findEntries(test.db, scope.appId, sourceId, query).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect({ query, status: isAppError(error) && error.status }).toEqual({
        query,
        status: 'BAD_REQUEST',
      });
      expect(error instanceof Error && error.message).toContain(message);
    }
  });

  it('keeps hostile column names and values as plain data', async () => {
    const hostile = "x') or true; drop table data_source_entries; --";
    expect(await names({ [hostile]: hostile })).toEqual([]);
    expect(await names({ Name: { $in: [hostile] } })).toEqual([]);
    expect(await names({})).toHaveLength(people.length);
  });
});

describe('[DATA SOURCES]: attributes, order and pages', () => {
  it('returns only the requested attributes an entry has', async () => {
    const entries = await findEntries(test.db, scope.appId, sourceId, {
      where: { Name: { $in: ['alice', 'dave'] } },
      attributes: ['Name', 'City'],
    });
    expect(entries.map((entry) => entry.data)).toEqual([
      { Name: 'alice', City: 'dublin' },
      { Name: 'dave' },
    ]);
  });

  it('orders numbers (and numeric text) by value, then text, then missing', async () => {
    const ascending = ['eve', 'bob', 'alice', 'carol', 'frank', 'dave'];
    expect(await names({}, { order: [['Age', 'ASC']] })).toEqual(ascending);
    expect(await names({}, { order: { Age: 'desc' } })).toEqual([...ascending].reverse());
    expect(await names({}, { order: [['Score']] })).toEqual([
      'bob',
      'alice',
      'eve',
      'carol',
      'dave',
      'frank',
    ]);
  });

  it('orders by several columns', async () => {
    const order: FindQueryInput['order'] = [
      ['Active', 'desc'],
      ['Name', 'desc'],
    ];
    // Missing values sort last ascending, so first descending.
    expect(await names({}, { order })).toEqual(['frank', 'eve', 'dave', 'carol', 'alice', 'bob']);
  });

  it('rejects an unknown order direction', async () => {
    const error: unknown = await names({}, { order: [['Name', 'up']] }).catch((e: unknown) => e);
    expect(isAppError(error) && error.status).toBe('BAD_REQUEST');
  });

  it('pages with limit and offset and reports the total', async () => {
    const page = await findEntries(test.db, scope.appId, sourceId, {
      where: { Name: { $ne: 'frank' } },
      order: { Name: 'asc' },
      limit: 2,
      offset: 1,
      includePagination: true,
    });
    expect(page.entries.map((entry) => entry.data.Name)).toEqual(['bob', 'carol']);
    expect(page.pagination).toEqual({ total: 5, limit: 2, offset: 1 });
  });

  it('caps the limit', async () => {
    const page = await findEntries(test.db, scope.appId, sourceId, {
      limit: 50_000,
      includePagination: true,
    });
    expect(page.pagination).toEqual({ total: people.length, limit: 1000, offset: 0 });
  });
});

describe('[DATA SOURCES]: numeric casts never throw', () => {
  it('treats oversized or odd numeric text as text', async () => {
    const source = await createDataSource(test.db, scope, { name: 'Odd numbers' });
    const odd = ['1e99999', '9'.repeat(5000), 'NaN', 'Infinity', '0x10', '1,5', '', ' 7 '];
    await commitEntries(test.db, scope, source.id, {
      entries: odd.map((Value) => ({ data: { Value } })),
    });
    const find = (where: Where) => findEntries(test.db, scope.appId, source.id, { where });
    expect((await find({ Value: { $gt: 0 } })).map((entry) => entry.data.Value)).toEqual([' 7 ']);
    expect(await find({ Value: { $in: [7, 1] } })).toHaveLength(1);
    const ordered = await findEntries(test.db, scope.appId, source.id, { order: { Value: 'asc' } });
    expect(ordered[0]?.data.Value).toBe(' 7 ');
  });
});
