/**
 * The data browser's tRPC procedures against Postgres: pages of entries, edits that replace an
 * entry's data, the app log events and audit rows they write, and who may make them.
 */
import { TRPCError } from '@trpc/server';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { appRoutes } from '../../server/api/rest/routes';
import { appRouter, createCaller } from '../../server/api/root';
import { NOT_AUDITED, restAudit, trpcAudit } from '../../server/audit/events';
import type { Database } from '../../server/db/client';
import { appLogs, apps, auditEvents, dataSources } from '../../server/db/schema';
import { isAppError } from '../../server/errors';
import {
  createDataSource,
  findById,
  insertEntry,
} from '../../server/platform/datasources/service';
import { contextFor, createTestUser, type TestUser } from '../accounts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../harness';
import { statusOf } from '../trpc-status';

let database: SeededTestDatabase;
let db: Database;
let organizationId: number;
let bookings: number;
let builder: TestUser;

const DEMO = 1;

beforeAll(async () => {
  database = await createSeededTestDatabase();
  db = database.db;
  const [demo] = await db.select().from(apps).where(eq(apps.id, DEMO));
  const [source] = await db.select().from(dataSources).where(eq(dataSources.name, 'Bookings'));
  if (!demo || !source) throw new Error('the demo app was not seeded');
  organizationId = demo.organizationId;
  bookings = source.id;
  builder = await createTestUser(db, { organizations: [[organizationId, 'builder']] });
});

afterAll(async () => {
  await database?.drop();
});

const as = (user: TestUser) => createCaller(contextFor(db, user));

async function eventsOf(entryId: number) {
  return db
    .select()
    .from(appLogs)
    .where(and(eq(appLogs.appId, DEMO), eq(appLogs.dataSourceEntryId, entryId)))
    .orderBy(asc(appLogs.id));
}

async function auditOf(entryId: number) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(eq(auditEvents.targetId, String(entryId)), sql`${auditEvents.action} like 'entry.%'`),
    )
    .orderBy(asc(auditEvents.id));
  return rows.map((row) => ({
    action: row.action,
    actorType: row.actorType,
    actorId: row.actorId,
    appId: row.appId,
    detail: row.detail,
  }));
}

describe('[DATA BROWSER]: reading', () => {
  it('pages the entries with the total and the data source as it is now', async () => {
    const page = await as(builder).dataSources.entries({
      appId: DEMO,
      dataSourceId: bookings,
      limit: 2,
    });
    expect(page.dataSource).toMatchObject({ id: bookings, name: 'Bookings' });
    expect(page.dataSource.columns).toEqual(
      expect.arrayContaining(['Name', 'Email', 'Date', 'Status']),
    );
    expect(page.entries.map((e) => e.data.Name)).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(page.pagination).toMatchObject({ limit: 2, offset: 0 });
    expect(page.pagination.total).toBeGreaterThanOrEqual(3);
    const next = await as(builder).dataSources.entries({
      appId: DEMO,
      dataSourceId: bookings,
      limit: 2,
      offset: 2,
    });
    expect(next.entries[0]?.data.Name).toBe('Grace Hopper');
  });

  it('lets every role read, and answers another app\'s data source as missing', async () => {
    const viewer = await createTestUser(db, { organizations: [[organizationId, 'viewer']] });
    const read = await as(viewer).dataSources.entries({ appId: DEMO, dataSourceId: bookings });
    expect(read.entries.length).toBeGreaterThan(0);
    const [other] = await db.insert(apps).values({ organizationId, name: 'Other' }).returning();
    const theirs = await createDataSource(db, { appId: other?.id ?? 0 }, { name: 'Theirs' });
    expect(
      await statusOf(as(builder).dataSources.entries({ appId: DEMO, dataSourceId: theirs.id })),
    ).toBe('DATA_SOURCE_NOT_FOUND');
    const tooMany = { appId: DEMO, dataSourceId: bookings, limit: 500 };
    expect(await statusOf(as(builder).dataSources.entries(tooMany))).toBe('BAD_REQUEST');
  });
});

describe('[DATA BROWSER]: editing', () => {
  it('saves the entry as shown: changed keys, removed keys, one update event', async () => {
    const entry = await insertEntry(db, { appId: DEMO, organizationId }, bookings, {
      Name: 'Edsger',
      Status: 'Pending',
      Notes: 'call back',
    });
    const saved = await as(builder).dataSources.updateEntry({
      appId: DEMO,
      dataSourceId: bookings,
      entryId: entry.id,
      data: { Name: 'Edsger Dijkstra', Status: 'Pending' },
    });
    expect(saved).toMatchObject({
      id: entry.id,
      data: { Name: 'Edsger Dijkstra', Status: 'Pending' },
    });
    const page = await as(builder).dataSources.entries({ appId: DEMO, dataSourceId: bookings });
    expect(page.entries.find((e) => e.id === entry.id)?.data).toEqual({
      Name: 'Edsger Dijkstra',
      Status: 'Pending',
    });

    // Saving it again unchanged writes nothing.
    await as(builder).dataSources.updateEntry({
      appId: DEMO,
      dataSourceId: bookings,
      entryId: entry.id,
      data: { Status: 'Pending', Name: 'Edsger Dijkstra' },
    });

    const events = await eventsOf(entry.id);
    expect(events.map((e) => [e.type, e.userId, e.data])).toEqual([
      ['dataSource.entry.create', null, expect.anything()],
      [
        'dataSource.entry.update',
        null,
        {
          columns: ['Name', 'Notes'],
          entry: { Name: 'Edsger Dijkstra', Status: 'Pending' },
          previous: { Name: 'Edsger', Notes: 'call back' },
        },
      ],
    ]);
    expect(await auditOf(entry.id)).toEqual([
      {
        action: 'entry.update',
        actorType: 'user',
        actorId: builder.id,
        appId: DEMO,
        detail: { dataSourceId: bookings },
      },
      expect.objectContaining({ action: 'entry.update' }),
    ]);
  });

  it('creates and removes entries with their events and audit rows', async () => {
    const caller = as(builder);
    const created = await caller.dataSources.createEntry({
      appId: DEMO,
      dataSourceId: bookings,
      data: { Name: 'Barbara Liskov', Status: 'Pending' },
    });
    expect(created.data).toEqual({ Name: 'Barbara Liskov', Status: 'Pending' });
    expect(
      await caller.dataSources.removeEntry({
        appId: DEMO,
        dataSourceId: bookings,
        entryId: created.id,
      }),
    ).toEqual({ removed: created.id });
    expect((await eventsOf(created.id)).map((e) => e.type)).toEqual([
      'dataSource.entry.create',
      'dataSource.entry.delete',
    ]);
    expect((await auditOf(created.id)).map((row) => row.action)).toEqual([
      'entry.create',
      'entry.remove',
    ]);
    expect(
      await statusOf(
        caller.dataSources.removeEntry({
          appId: DEMO,
          dataSourceId: bookings,
          entryId: created.id,
        }),
      ),
    ).toBe('ENTRY_NOT_FOUND');
  });

  it('refuses bad data with the product\'s message, and read-only roles', async () => {
    const entry = await insertEntry(db, { appId: DEMO, organizationId }, bookings, { Name: 'Kay' });
    const edit = { appId: DEMO, dataSourceId: bookings, entryId: entry.id };
    const error: unknown = await as(builder)
      .dataSources.updateEntry({ ...edit, data: { Name: 'nul \u0000' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: /cannot be stored/ });

    for (const role of ['viewer', 'support'] as const) {
      const reader = await createTestUser(db, { organizations: [[organizationId, role]] });
      expect(await statusOf(as(reader).dataSources.updateEntry({ ...edit, data: {} }))).toBe(
        'FORBIDDEN',
      );
      expect(await statusOf(as(reader).dataSources.removeEntry(edit))).toBe('FORBIDDEN');
      expect(
        await statusOf(
          as(reader).dataSources.createEntry({ appId: DEMO, dataSourceId: bookings, data: {} }),
        ),
      ).toBe('FORBIDDEN');
    }
    expect((await eventsOf(entry.id)).map((e) => e.type)).toEqual(['dataSource.entry.create']);
    const page = await as(builder).dataSources.entries({ appId: DEMO, dataSourceId: bookings });
    expect(page.entries.find((e) => e.id === entry.id)?.data).toEqual({ Name: 'Kay' });
  });
});

describe('[DATA BROWSER]: data jsonb cannot hold', () => {
  it('refuses lone surrogates and data nested past 64 levels, changing nothing', async () => {
    const entry = await insertEntry(db, { appId: DEMO, organizationId }, bookings, { Name: 'Lu' });
    const edit = { appId: DEMO, dataSourceId: bookings, entryId: entry.id };
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 5000; level += 1) deep = { a: deep };
    const faults: [Record<string, unknown>, RegExp][] = [
      [{ Name: 'x\ud800' }, /data\.Name: contains a broken UTF-16 surrogate/],
      [{ Name: deep }, /data\.Name\.a\.a\.a\.a\.a\.a\.a: … is nested deeper than 64 levels$/],
    ];
    for (const [data, message] of faults) {
      // Called one at a time: a second call started early would reject with nobody listening.
      for (const call of [
        () => as(builder).dataSources.createEntry({ appId: DEMO, dataSourceId: bookings, data }),
        () => as(builder).dataSources.updateEntry({ ...edit, data }),
      ]) {
        const error: unknown = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TRPCError);
        expect(error).toMatchObject({ code: 'BAD_REQUEST', message });
        expect(error instanceof TRPCError && isAppError(error.cause) && error.cause.status).toBe(
          'BAD_REQUEST',
        );
      }
    }
    expect((await eventsOf(entry.id)).map((e) => e.type)).toEqual(['dataSource.entry.create']);
    expect(await findById(db, DEMO, bookings, entry.id)).toEqual(entry);
  });
});

describe('[DATA BROWSER]: the audit table', () => {
  it('has a rule for every tRPC mutation and every REST route that is not a GET', () => {
    const typeOf = (procedure: unknown): unknown =>
      Reflect.get(Object(Reflect.get(Object(procedure), '_def')), 'type');
    const mutations = Object.entries(appRouter._def.procedures)
      .filter(([, procedure]) => typeOf(procedure) === 'mutation')
      .map(([path]) => path);
    expect(mutations.filter((path) => !(path in trpcAudit))).toEqual([]);
    const writes = appRoutes()
      .filter((route) => route.method !== 'GET')
      .map((route) => `${route.method} ${route.path}`);
    expect(writes.filter((key) => !(key in restAudit))).toEqual([]);
    expect(restAudit['POST /v3/apps/:appId/data-sources/:id/entries']).toBe(NOT_AUDITED);
  });
});
