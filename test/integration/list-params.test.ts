import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { handleRest } from '../../server/api/rest/handler';
import { db } from '../../server/db/client';
import { actionLogs, actions, dataSources } from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import { createTestDatabase, type TestDatabase } from '../harness';

/** Page sizes and offsets in query strings: clamped, never refused for being out of range. */
let database: TestDatabase;
let bookings: number;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.DEV_API_TOKEN = 't';
  process.env.ACTIONS_RATE_LIMIT_CRUD = '10000';
  await seedDemo(db());
  const [action] = await db().select({ id: actions.id }).from(actions).limit(1);
  const base = { appId: 1, masterId: action?.id ?? 0, data: {}, version: 'master', codeHash: '' };
  await db().insert(actionLogs).values([
    { ...base, runId: randomUUID(), type: 'app.task.completed' },
    { ...base, runId: randomUUID(), type: 'app.task.completed' },
    { ...base, runId: randomUUID(), type: 'app.task.failed' },
  ]);
  const sources = await db().select().from(dataSources);
  bookings = sources.find((source) => source.name === 'Bookings')?.id ?? 0;
});

afterAll(async () => {
  await db().$client.end();
  await database?.drop();
});

async function get(path: string) {
  const response = await handleRest(
    new Request(`http://localhost${path}`, { headers: { 'auth-token': 't' } }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const pageOf = (body: Record<string, unknown>) => body.pagination as Record<string, unknown>;

describe('limit, offset and count in query strings', () => {
  it.each([
    ['-3', 1],
    ['0', 1],
    ['%2B2', 2], // +2; a bare + in a query string is a space
    ['1000', 100],
  ])('actions: limit=%s lists a page of %i', async (limit, used) => {
    const { status, body } = await get(`/v3/apps/1/actions?limit=${limit}&offset=-5`);
    expect(status).toBe(200);
    expect(pageOf(body)).toMatchObject({ limit: used, offset: 0 });
    expect((body.actions as unknown[]).length).toBe(Math.min(used, pageOf(body).total as number));
  });

  it.each([
    ['-3', 1],
    ['0', 1],
    ['2', 2],
  ])('logs: limit=%s answers %i runs', async (limit, count) => {
    const { status, body } = await get(`/v3/apps/1/actions/logs?limit=${limit}&offset=-1`);
    expect(status).toBe(200);
    expect(body.count).toBe(count);
  });

  it.each([
    ['-3', 1],
    ['0', 1],
    ['5000', 1000],
  ])('entries: limit=%s lists a page of %i', async (limit, used) => {
    const path = `/v3/apps/1/data-sources/${bookings}/entries?limit=${limit}&offset=-2`;
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(pageOf(body)).toMatchObject({ limit: used, offset: 0 });
    expect((body.entries as unknown[]).length).toBe(Math.min(used, pageOf(body).total as number));
  });

  it.each([
    ['-1', 1],
    ['0', 1],
    ['3', 3],
    ['99', 50],
  ])('cron preview: count=%s answers %i fire times', async (count, times) => {
    const { status, body } = await get(`/v3/cron/preview?frequency=*/5+*+*+*+*&count=${count}`);
    expect(status).toBe(200);
    expect(body.next).toHaveLength(times);
  });

  it.each([`limit=-${2 ** 53}`, 'limit=99999999999999999999', 'offset=99999999999999999999'])(
    'refuses a whole number past 2^53, saying so: %s',
    async (query) => {
      const { status, body } = await get(`/v3/apps/1/actions?${query}`);
      expect(status).toBe(400);
      expect(body.error).toMatch(/^(limit|offset) must be a whole number between -2\^53 and 2\^53$/);
    },
  );

  it.each([
    '/v3/apps/1/actions?limit=ten',
    '/v3/apps/1/actions?limit=1.5',
    '/v3/apps/1/actions?offset=--1',
    '/v3/apps/1/actions/logs?limit=1e3',
    '/v3/cron/preview?frequency=*/5+*+*+*+*&count=-',
  ])('refuses what is not a whole number: %s', async (path) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 'BAD_REQUEST' });
    expect(body.error).toMatch(/^(limit|offset|count) must be a whole number$/);
  });

  it('refuses a negative id filter, which no action has', async () => {
    const { status, body } = await get('/v3/apps/1/actions/logs?id=-3');
    expect(status).toBe(400);
    expect(body).toEqual({ status: 'BAD_REQUEST', error: 'id must be a whole number, 0 or more' });
  });
});
