/**
 * The data source and media routes through the real REST handler: answers, the app log events
 * each change writes (and the log-triggered runs they queue), refusals that change nothing, and
 * media bytes served back exactly as uploaded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { and, asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { handleRest } from '../../server/api/rest/handler';
import { createApiToken } from '../../server/api/tokens';
import { db } from '../../server/db/client';
import {
  actions,
  appLogs,
  apps,
  auditEvents,
  dataSourceEntries,
  dataSources,
  organizations,
} from '../../server/db/schema';
import { findEntries } from '../../server/platform/datasources/service';
import { getFile, uploadFile } from '../../server/platform/media/service';
import { mediaRoot } from '../../server/platform/media/storage';
import { seedDemo } from '../../server/db/seed';
import { createTestDatabase, type TestDatabase } from '../harness';

const TOKEN = 'data-sources-dev-token';
const DEMO = 1;

let database: TestDatabase;
let dataDir: string;
let bookings: number;
let organizationId: number;
let viewerToken: string;
let foreign: { appId: number; token: string; sourceId: number };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'data-sources-rest-'));
  database = await createTestDatabase();
  // server/env.ts reads these once, on first use.
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dataDir;
  process.env.DEV_API_TOKEN = TOKEN;
  process.env.ACTIONS_RATE_LIMIT_CRUD = '100000';
  await seedDemo(db());
  const [source] = await db().select().from(dataSources).where(eq(dataSources.name, 'Bookings'));
  const [demo] = await db().select().from(apps).where(eq(apps.id, DEMO));
  if (!source || !demo) throw new Error('the demo app was not seeded');
  bookings = source.id;
  organizationId = demo.organizationId;
  viewerToken = (await createApiToken(db(), { appId: DEMO }, 'viewer', 'viewer')).token;
  const [org] = await db().insert(organizations).values({ name: 'Elsewhere' }).returning();
  const [app] = await db()
    .insert(apps)
    .values({ organizationId: org?.id ?? 0, name: 'Foreign' })
    .returning();
  if (!app) throw new Error('foreign app not stored');
  const [foreignSource] = await db()
    .insert(dataSources)
    .values({ appId: app.id, name: 'Secrets', columns: ['Key'] })
    .returning();
  foreign = {
    appId: app.id,
    token: (await createApiToken(db(), { appId: app.id }, 'foreign')).token,
    sourceId: foreignSource?.id ?? 0,
  };
});

afterAll(async () => {
  await db().$client.end();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(
  method: string,
  route: string,
  body?: unknown,
  options: { token?: string | null; raw?: string } = {},
): Promise<Answer> {
  const token = options.token === undefined ? TOKEN : options.token;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['auth-token'] = token;
  const sent = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await handleRest(
    new Request(`http://localhost${route}`, { method, headers, body: sent }),
  );
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, body: parsed };
}

const sources = (appId = DEMO) => `/v3/apps/${appId}/data-sources`;
const entriesOf = (sourceId: number, appId = DEMO) => `${sources(appId)}/${sourceId}/entries`;

interface EntryJson {
  id: number;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  dataSourceId: number;
}

function entryOf(answer: Answer): EntryJson {
  return (answer.body as { entry: EntryJson }).entry;
}

/** The app log events of the demo app after `afterId`, oldest first. */
async function eventsAfter(afterId: number) {
  const rows = await db()
    .select()
    .from(appLogs)
    .where(and(eq(appLogs.appId, DEMO), sql`${appLogs.id} > ${afterId}`))
    .orderBy(asc(appLogs.id));
  return rows.map((row) => ({
    type: row.type,
    userId: row.userId,
    organizationId: row.organizationId,
    dataSourceId: row.dataSourceId,
    dataSourceEntryId: row.dataSourceEntryId,
    data: row.data,
  }));
}

async function lastEventId(): Promise<number> {
  const newest = sql<number>`coalesce(max(${appLogs.id}), 0)`;
  const [row] = await db().select({ id: newest }).from(appLogs);
  return Number(row?.id ?? 0);
}

/** What a refused call must leave alone: entries, data sources and app log events. */
async function snapshot() {
  const total = async (table: typeof appLogs | typeof dataSources | typeof dataSourceEntries) =>
    (await db().select({ n: count() }).from(table))[0]?.n ?? 0;
  const rows = await db()
    .select({ id: dataSourceEntries.id, data: dataSourceEntries.data })
    .from(dataSourceEntries)
    .orderBy(asc(dataSourceEntries.id));
  return {
    events: await total(appLogs),
    sources: await total(dataSources),
    entries: rows,
  };
}

beforeEach(async () => {
  await db().execute(sql`truncate rate_limits`);
});

describe('[DATA REST]: data sources', () => {
  it('lists the app\'s data sources, and only its own', async () => {
    const listed = await call('GET', sources());
    expect(listed.status).toBe(200);
    const { dataSources: list } = listed.body as { dataSources: Record<string, unknown>[] };
    expect(list).toContainEqual({
      id: bookings,
      appId: DEMO,
      name: 'Bookings',
      columns: ['Name', 'Email', 'Date', 'Status'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(list.map((s) => s.name)).not.toContain('Secrets');
  });

  it('creates one, reads it back, and refuses a taken name', async () => {
    const created = await call('POST', sources(), { name: 'Rooms', columns: ['Floor', 'Seats'] });
    expect(created.status).toBe(201);
    const { dataSource } = created.body as { dataSource: { id: number; name: string } };
    expect(dataSource).toMatchObject({ appId: DEMO, name: 'Rooms', columns: ['Floor', 'Seats'] });
    expect(await call('GET', `${sources()}/${dataSource.id}`)).toMatchObject({
      status: 200,
      body: { dataSource: { id: dataSource.id, name: 'Rooms' } },
    });
    const again = await call('POST', sources(), { name: 'Rooms' });
    expect(again).toMatchObject({ status: 409, body: { status: 'NAME_ALREADY_EXISTS' } });
  });

  it('records a data source made over the API in the audit trail, with the token', async () => {
    const { id, token } = await createApiToken(db(), { appId: DEMO }, 'importer');
    const created = await call('POST', sources(), { name: 'Imports' }, { token });
    const { dataSource } = created.body as { dataSource: { id: number } };
    const rows = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, String(dataSource.id)));
    expect(rows.filter((r) => r.action === 'dataSource.create')).toEqual([
      expect.objectContaining({
        actorType: 'token',
        actorId: String(id),
        actorLabel: 'importer',
        appId: DEMO,
        detail: { name: 'Imports' },
      }),
    ]);
  });

  it('refuses bad bodies with BAD_REQUEST and changes nothing', async () => {
    const before = await snapshot();
    const faults: [unknown, RegExp][] = [
      [{}, /data source: name/],
      [{ name: '   ' }, /name cannot be empty/],
      [{ name: 'Dupes', columns: ['a', 'a'] }, /columns must be unique/],
      [{ name: 'Typo', colums: [] }, /colums/],
      [[{ name: 'Array' }], /expected object/],
    ];
    for (const [body, message] of faults) {
      const answer = await call('POST', sources(), body);
      expect({ body, answer: answer.body }).toMatchObject({
        body,
        answer: { status: 'BAD_REQUEST', error: expect.stringMatching(message) },
      });
    }
    const notJson = await call('POST', sources(), undefined, { raw: '{"name":' });
    expect(notJson).toMatchObject({ status: 400, body: { error: /not valid JSON/ } });
    expect(await snapshot()).toEqual(before);
  });
});

describe('[DATA REST]: entries', () => {
  it('pages entries in insertion order with the total', async () => {
    const all = await call('GET', entriesOf(bookings));
    const page = all.body as { entries: EntryJson[]; pagination: Record<string, number> };
    expect(page.pagination).toEqual({ total: page.entries.length, limit: 1000, offset: 0 });
    expect(page.entries.slice(0, 3).map((e) => e.data.Name)).toEqual([
      'Ada Lovelace',
      'Alan Turing',
      'Grace Hopper',
    ]);
    const second = await call('GET', `${entriesOf(bookings)}?limit=1&offset=1`);
    expect(second.body).toEqual({
      entries: [page.entries[1]],
      pagination: { total: page.entries.length, limit: 1, offset: 1 },
    });
  });

  it('answers a find query exactly as the service that actions call', async () => {
    const query = {
      where: { Status: { $in: ['Pending', 'Confirmed'] }, Name: { $regex: '^(Ada|Grace)' } },
      order: [['Date', 'desc']] as [string, 'desc'][],
      attributes: ['Name', 'Date'],
      includePagination: true,
    };
    const answer = await call('POST', `${entriesOf(bookings)}/query`, query);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(
      JSON.parse(JSON.stringify(await findEntries(db(), DEMO, bookings, query))),
    );
    const { entries } = answer.body as { entries: EntryJson[] };
    expect(entries.map((e) => e.data)).toEqual([
      { Name: 'Grace Hopper', Date: '2026-12-09' },
      { Name: 'Ada Lovelace', Date: '2026-12-07' },
    ]);
    const plain = await call('POST', `${entriesOf(bookings)}/query`, { where: { Name: 'Nobody' } });
    expect(plain.body).toEqual({ entries: [] });
    const empty = await call('POST', `${entriesOf(bookings)}/query`);
    expect((empty.body as { entries: unknown[] }).entries.length).toBeGreaterThanOrEqual(3);
  });

  it('inserts, merges an update, deletes, and writes each app log event', async () => {
    const mark = await lastEventId();
    const inserted = await call('POST', entriesOf(bookings), {
      data: { Name: 'Linus', Status: 'Pending', Seats: 2 },
    });
    expect(inserted.status).toBe(201);
    const entry = entryOf(inserted);
    expect(entry).toMatchObject({ dataSourceId: bookings, data: { Name: 'Linus', Seats: 2 } });

    // The keys of an entry as read are ignored, so a fetched entry can be sent back.
    const updated = await call('PUT', `${entriesOf(bookings)}/${entry.id}`, {
      ...entry,
      data: { Status: 'Confirmed', Seats: 3 },
    });
    expect(updated.status).toBe(200);
    expect(entryOf(updated).data).toEqual({ Name: 'Linus', Status: 'Confirmed', Seats: 3 });
    expect(await call('GET', `${entriesOf(bookings)}/${entry.id}`)).toMatchObject({
      status: 200,
      body: { entry: { id: entry.id, data: { Name: 'Linus', Status: 'Confirmed', Seats: 3 } } },
    });

    const removed = await call('DELETE', `${entriesOf(bookings)}/${entry.id}`);
    expect(removed).toMatchObject({ status: 200, body: {} });
    expect(await call('GET', `${entriesOf(bookings)}/${entry.id}`)).toMatchObject({
      status: 404,
      body: { status: 'ENTRY_NOT_FOUND' },
    });

    const common = {
      userId: null,
      organizationId,
      dataSourceId: bookings,
      dataSourceEntryId: entry.id,
    };
    expect(await eventsAfter(mark)).toEqual([
      {
        ...common,
        type: 'dataSource.entry.create',
        data: { columns: ['Name', 'Status', 'Seats'], entry: entry.data },
      },
      {
        ...common,
        type: 'dataSource.entry.update',
        // Stored data is jsonb, whose key order is its own (shorter keys first).
        data: {
          columns: ['Seats', 'Status'],
          entry: { Name: 'Linus', Status: 'Confirmed', Seats: 3 },
          previous: { Status: 'Pending', Seats: 2 },
        },
      },
      {
        ...common,
        type: 'dataSource.entry.delete',
        data: {
          columns: ['Name', 'Seats', 'Status'],
          entry: { Name: 'Linus', Status: 'Confirmed', Seats: 3 },
        },
      },
    ]);
    // A new key joins the data source's columns, as from an action.
    const { dataSource } = (await call('GET', `${sources()}/${bookings}`)).body as {
      dataSource: { columns: string[] };
    };
    expect(dataSource.columns).toContain('Seats');
    // Entry writes are app log events, not audit rows.
    const audited = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, String(entry.id)));
    expect(audited.filter((row) => row.action.startsWith('entry.'))).toEqual([]);
  });

  it('an insert over REST queues the log-triggered runs an action\'s insert would', async () => {
    await db().execute(sql`delete from graphile_worker._private_jobs`);
    const fields = {
      appId: DEMO,
      name: 'on-booking',
      code: 'async function execute(context) { return context.payload.log.type; }',
      active: true,
      environment: 'server',
      triggers: [
        { trigger: 'log', where: { type: 'dataSource.entry.create', dataSourceId: bookings } },
      ],
    };
    const [master] = await db().insert(actions).values(fields).returning();
    const [production] = await db()
      .insert(actions)
      .values({ ...fields, masterId: master?.id })
      .returning();
    try {
      const entry = entryOf(await call('POST', entriesOf(bookings), { data: { Name: 'Ken' } }));
      const jobs = await db().execute<{ payload: { actionId: number; payload: unknown } }>(
        sql`select payload from graphile_worker._private_jobs order by id`,
      );
      expect(jobs.map((job) => job.payload)).toEqual([
        expect.objectContaining({
          actionId: production?.id,
          payload: {
            trigger: 'log',
            log: expect.objectContaining({
              type: 'dataSource.entry.create',
              dataSourceId: bookings,
              dataSourceEntryId: entry.id,
            }),
          },
        }),
      ]);

      // Entry data keeps a __proto__ key as data; the run it triggers never sees one.
      await db().execute(sql`delete from graphile_worker._private_jobs`);
      const raw = '{"data":{"Name":"Proto","Extra":{"__proto__":{"polluted":1},"kept":1}}}';
      const stored = entryOf(await call('POST', entriesOf(bookings), undefined, { raw }));
      expect(JSON.stringify(stored.data)).toContain('"__proto__"');
      const [job] = await db().execute<{ text: string }>(
        sql`select payload::text as text from graphile_worker._private_jobs`,
      );
      const queued = JSON.parse(job?.text ?? '{}') as {
        payload: { log: { data: unknown; dataString: string } };
      };
      expect(queued.payload.log.data).toEqual({
        entry: { Name: 'Proto', Extra: { kept: 1 } },
        columns: ['Name', 'Extra'],
      });
      // Only the log's text form, a plain string, still spells it.
      expect(JSON.stringify(queued.payload.log.data)).not.toContain('__proto__');
    } finally {
      await db().delete(actions).where(eq(actions.name, 'on-booking'));
      await db().execute(sql`delete from graphile_worker._private_jobs`);
    }
  });

  it('refuses bad ids, bodies and queries, and other apps\' data, changing nothing', async () => {
    const [first] = (
      (await call('GET', `${entriesOf(bookings)}?limit=1`)).body as { entries: EntryJson[] }
    ).entries;
    if (!first) throw new Error('no entry to aim at');
    const other = (await call('POST', sources(), { name: 'Elsewhere in app' })).body as {
      dataSource: { id: number };
    };
    const before = await snapshot();
    const big = { data: { text: 'x'.repeat(1024 * 1024) } };
    const cases: [string, string, unknown, number, string][] = [
      ['GET', `${sources()}/abc`, undefined, 404, 'DATA_SOURCE_NOT_FOUND'],
      ['GET', `${sources()}/${foreign.sourceId}`, undefined, 404, 'DATA_SOURCE_NOT_FOUND'],
      ['GET', `${entriesOf(foreign.sourceId)}`, undefined, 404, 'DATA_SOURCE_NOT_FOUND'],
      ['GET', `${entriesOf(bookings)}?limit=1.5`, undefined, 400, 'BAD_REQUEST'],
      ['GET', `${entriesOf(bookings)}/abc`, undefined, 404, 'ENTRY_NOT_FOUND'],
      ['GET', `${entriesOf(999_999)}/abc`, undefined, 404, 'DATA_SOURCE_NOT_FOUND'],
      ['GET', `${entriesOf(bookings)}/99999999999`, undefined, 404, 'ENTRY_NOT_FOUND'],
      ['POST', `${entriesOf(bookings)}/query`, { where: { $where: 1 } }, 400, 'BAD_REQUEST'],
      ['POST', `${entriesOf(bookings)}/query`, { where: { Name: { $regex: '(' } } }, 400,
        'BAD_REQUEST'],
      ['POST', `${entriesOf(bookings)}/query`, { limit: 'ten' }, 400, 'BAD_REQUEST'],
      ['POST', `${entriesOf(bookings)}/query`, [], 400, 'BAD_REQUEST'],
      ['POST', entriesOf(bookings), { Name: 'no envelope' }, 400, 'BAD_REQUEST'],
      ['POST', entriesOf(bookings), { data: { bad: 'nul \u0000 byte' } }, 400, 'BAD_REQUEST'],
      ['POST', entriesOf(bookings), big, 413, 'PAYLOAD_TOO_LARGE'],
      ['POST', entriesOf(foreign.sourceId), { data: { Key: 'x' } }, 404,
        'DATA_SOURCE_NOT_FOUND'],
      ['PUT', `${entriesOf(other.dataSource.id)}/${first.id}`, { data: { a: 1 } }, 404,
        'ENTRY_NOT_FOUND'],
      ['PUT', `${entriesOf(bookings)}/${first.id}`, { data: 'text' }, 400, 'BAD_REQUEST'],
      ['PUT', `${entriesOf(bookings)}/${first.id}`, big, 413, 'PAYLOAD_TOO_LARGE'],
      ['PUT', `${entriesOf(bookings)}/0`, { data: { a: 1 } }, 404, 'ENTRY_NOT_FOUND'],
      ['DELETE', `${entriesOf(bookings)}/-1`, undefined, 404, 'ENTRY_NOT_FOUND'],
      ['DELETE', `${entriesOf(foreign.sourceId)}/${first.id}`, undefined, 404,
        'DATA_SOURCE_NOT_FOUND'],
      ['PATCH', `${entriesOf(bookings)}/${first.id}`, { data: {} }, 404, 'NOT_FOUND'],
    ];
    for (const [method, route, body, http, status] of cases) {
      const answer = await call(method, route, body);
      expect({ method, route, http: answer.status, body: answer.body }).toEqual({
        method,
        route,
        http,
        body: { status, error: expect.any(String) },
      });
    }
    const notJson = await call('PUT', `${entriesOf(bookings)}/${first.id}`, undefined, {
      raw: '{"data": {',
    });
    expect(notJson).toMatchObject({ status: 400, body: { status: 'BAD_REQUEST' } });
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 BAD_REQUEST, never 500, for text jsonb cannot hold or deep data', async () => {
    const [first] = (
      (await call('GET', `${entriesOf(bookings)}?limit=1`)).body as { entries: EntryJson[] }
    ).entries;
    if (!first) throw new Error('no entry to aim at');
    const before = await snapshot();
    // 5000 levels fit in 30 kB; recursing over them used to overflow the stack (a 500).
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const entry = `${entriesOf(bookings)}/${first.id}`;
    // Bodies as raw JSON text, escapes and all, as a client sends them.
    const cases: [string, string, string, RegExp][] = [
      ['POST', sources(), '{"name":"\\u0000nul"}', /^data source: name: cannot contain a NUL/],
      ['POST', sources(), '{"name":"x\\ud800"}', /name: cannot contain a broken UTF-16/],
      ['POST', sources(), '{"name":"a\\nb"}', /name: cannot contain a control character/],
      ['POST', sources(), '{"name":"C","columns":["\\u0000"]}', /columns\.0: cannot contain/],
      ['POST', entriesOf(bookings), '{"data":{"Name":"\\ud800"}}',
        /^entry: data\.Name: contains a broken UTF-16 surrogate, which cannot be stored$/],
      ['POST', entriesOf(bookings), '{"data":{"\\u0000":1}}', /data: has a key with a NUL/],
      ['POST', entriesOf(bookings), `{"data":${deep}}`, /is nested deeper than 64 levels$/],
      ['PUT', entry, '{"data":{"Name":"\\udc00x"}}', /data\.Name: contains a broken UTF-16/],
      ['PUT', entry, `{"data":{"Name":${deep}}}`, /is nested deeper than 64 levels$/],
      ['POST', `${entriesOf(bookings)}/query`, '{"where":{"Name":"\\u0000"}}',
        /^find options: where\.Name: contains a NUL character/],
      ['POST', `${entriesOf(bookings)}/query`, `{"where":{"Name":{"$eq":${deep}}}}`,
        /is nested deeper than 64 levels$/],
      ['POST', `${entriesOf(bookings)}/query`, '{"attributes":["\\ud800"]}',
        /^find options: attributes\.0: cannot contain a broken UTF-16 surrogate$/],
    ];
    for (const [method, route, raw, message] of cases) {
      const answer = await call(method, route, undefined, { raw });
      expect({ method, raw: raw.slice(0, 60), http: answer.status, body: answer.body }).toEqual({
        method,
        raw: raw.slice(0, 60),
        http: 400,
        body: { status: 'BAD_REQUEST', error: expect.stringMatching(message) },
      });
    }
    expect(await snapshot()).toEqual(before);
    const names = (await call('GET', sources())).body as { dataSources: { name: string }[] };
    expect(names.dataSources.map((source) => source.name).filter((n) => n.includes('\ufffd')))
      .toEqual([]);
  });

  it('answers another app as missing and a viewer token as forbidden to write', async () => {
    const before = await snapshot();
    const elsewhere = await call('GET', sources(foreign.appId));
    expect(elsewhere).toMatchObject({ status: 404, body: { status: 'APP_NOT_FOUND' } });
    const foreignToken = await call('GET', entriesOf(bookings), undefined, {
      token: foreign.token,
    });
    expect(foreignToken).toMatchObject({ status: 404, body: { status: 'APP_NOT_FOUND' } });
    expect(await call('GET', sources(), undefined, { token: null })).toMatchObject({
      status: 401,
      body: { status: 'UNAUTHORIZED' },
    });

    const asViewer = { token: viewerToken };
    expect((await call('GET', entriesOf(bookings), undefined, asViewer)).status).toBe(200);
    const query = await call('POST', `${entriesOf(bookings)}/query`, { limit: 1 }, asViewer);
    expect(query.status).toBe(200);
    for (const [method, route, body] of [
      ['POST', sources(), { name: 'Viewer made' }],
      ['POST', entriesOf(bookings), { data: { Name: 'x' } }],
      ['PUT', `${entriesOf(bookings)}/1`, { data: { Name: 'x' } }],
      ['DELETE', `${entriesOf(bookings)}/1`, undefined],
    ] as const) {
      const answer = await call(method, route, body, asViewer);
      expect({ method, route, answer: answer.body }).toMatchObject({
        method,
        route,
        answer: { status: 'FORBIDDEN' },
      });
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('[DATA REST]: media file contents', () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ' +
      'RU5ErkJggg==',
    'base64',
  );
  const actor = () => ({ appId: DEMO, organizationId });

  async function upload(name: string, data: Buffer, contentType?: string) {
    const input = { name, data: data.toString('base64'), encoding: 'base64' as const, contentType };
    return uploadFile(db(), actor(), input, mediaRoot());
  }

  async function contents(route: string, token: string | null = TOKEN) {
    const headers: Record<string, string> = token ? { 'auth-token': token } : {};
    return handleRest(new Request(`http://localhost${route}`, { headers }));
  }

  it('answers the exact bytes and content type of an upload, at the file\'s own url', async () => {
    const file = await upload('pixel.png', png);
    const url = new URL(file.url);
    expect(url.pathname).toBe(`/v3/apps/${DEMO}/media/files/${file.id}/contents`);
    expect((await getFile(db(), DEMO, file.id)).url).toBe(file.url);

    const response = await contents(url.pathname);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.length),
      'content-disposition': `inline; filename="pixel.png"; filename*=UTF-8''pixel.png`,
      'content-security-policy': 'sandbox',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'referrer-policy': 'no-referrer',
    });
  });

  it('takes the token in the query, for a browser tab', async () => {
    const file = await upload('notes.txt', Buffer.from('héllo\n'), 'text/plain; charset=utf-8');
    const response = await contents(`${new URL(file.url).pathname}?token=${TOKEN}`, null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('héllo\n');
  });

  it('sends active types as downloads under a safe name', async () => {
    const html = Buffer.from('<script>parent.alert(document.cookie)</script>');
    const file = await upload('Révision "final"; 1.html', html);
    const response = await contents(new URL(file.url).pathname);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="R_vision _final__ 1.html"; ' +
        "filename*=UTF-8''R%C3%A9vision%20%22final%22%3B%201.html",
    );
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    expect(Buffer.from(await response.arrayBuffer()).equals(html)).toBe(true);
    const svg = await upload('logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    const answer = await contents(new URL(svg.url).pathname);
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('answers NOT_FOUND for unknown ids and another app\'s files', async () => {
    const file = await upload('mine.png', png);
    const route = (appId: number, id: number | string) =>
      `/v3/apps/${appId}/media/files/${id}/contents`;
    for (const id of [999_999, 'pixel.png', '0', '99999999999']) {
      const response = await contents(route(DEMO, id));
      expect({ id, status: response.status, body: await response.json() }).toMatchObject({
        id,
        status: 404,
        body: { status: 'NOT_FOUND' },
      });
    }
    const theirs = await contents(route(foreign.appId, file.id), foreign.token);
    expect(await theirs.json()).toMatchObject({ status: 'NOT_FOUND' });
    const noToken = await contents(route(DEMO, file.id), null);
    expect(noToken.status).toBe(401);
  });
});
